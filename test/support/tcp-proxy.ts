import net from 'node:net';
import { freePort } from '../../services/runtime/free-port.ts';

export interface TcpProxy {
  port: number;
  /** How many connections were cut so far. */
  cuts: number;
  /** Cuts every open connection and refuses new ones until `accept()`: the service seems gone. */
  goDown(): Promise<void>;
  /** Keeps every connection open but passes nothing either way, and accepts new ones the same: the service hangs. */
  stall(): void;
  /** Listens again on the same port: the service is back. */
  accept(): Promise<void>;
  stop(): Promise<void>;
}

/** A loopback TCP proxy a test controls, to cut a real service away from Earshot and give it back. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const pairs = new Set<[net.Socket, net.Socket]>();
  let server: net.Server | undefined;
  let stalled = false;
  const proxy: TcpProxy = {
    port,
    cuts: 0,
    async goDown() {
      const listening = server;
      server = undefined;
      // close() resolves once every connection is gone, so they are cut while it waits.
      const closed = listening ? new Promise<void>((resolve) => listening.close(() => resolve())) : Promise.resolve();
      for (const pair of pairs) {
        for (const socket of pair) socket.destroy();
        proxy.cuts++;
      }
      pairs.clear();
      await closed;
    },
    stall() {
      stalled = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async accept() {
      if (server) return;
      stalled = false;
      const listening = net.createServer((client) => {
        if (stalled) {
          const held: [net.Socket, net.Socket] = [client, new net.Socket()];
          pairs.add(held);
          client.on('error', () => undefined).on('close', () => pairs.delete(held));
          return;
        }
        const upstream = net.connect(target.port, target.host);
        const pair: [net.Socket, net.Socket] = [client, upstream];
        pairs.add(pair);
        const drop = () => {
          pairs.delete(pair);
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, '127.0.0.1', () => resolve());
      });
      server = listening;
    },
    async stop() {
      await proxy.goDown();
    },
  };
  await proxy.accept();
  return proxy;
}
