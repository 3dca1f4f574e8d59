FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false
COPY . .
ENV HOST=0.0.0.0 DATA_DIR=/data
EXPOSE 3000
CMD ["node", "bin/earshot.ts", "start"]
