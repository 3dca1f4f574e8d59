FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev
# The code stays owned by root, read-only to the process that runs it.
COPY . .
# Only the data directory is the node user's (a new named volume copies this owner).
RUN mkdir -p /data && chown node:node /data
ENV HOST=0.0.0.0 DATA_DIR=/data
USER node
EXPOSE 3000
# Node's own fetch: the slim image has no curl. Ready means PostgreSQL and Redis answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/earshot.ts", "start"]
