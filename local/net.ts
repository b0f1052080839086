import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Every local listener binds to the loopback interface only: local mode is never reachable from the network. */
export const LOOPBACK = '127.0.0.1';

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server without waiting for idle keep-alive connections (the SDK's agents keep them open). */
export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export function urlOf(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}
