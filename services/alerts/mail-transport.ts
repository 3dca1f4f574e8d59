import { promises as fs } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

export interface SentMail {
  /** Where it went: the SMTP server's reply, or the .eml file written. */
  receipt: string;
}

export interface MailTransport {
  send(message: Mail.Options & { messageId: string }, fileName: string): Promise<SentMail>;
  close(): void;
}

/**
 * SMTP when SMTP_URL is set; otherwise each message becomes an .eml file under the
 * outbox directory. The file name is fixed per delivery, so a repeated write replaces
 * rather than duplicates.
 */
export function createMailTransport(options: { smtpUrl: string | undefined; outboxDir: string }): MailTransport {
  if (options.smtpUrl) return smtpTransport(options.smtpUrl);
  return outboxTransport(options.outboxDir);
}

function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    // A few kept-open connections: opening one per email (TCP, greeting, TLS, login) costs
    // about 100 ms even on loopback, which is most of an alert's time once the item is judged.
    pool: true,
    maxConnections: 4,
    // Bounded waits: a stuck server must fail the attempt, not hold the worker for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const info = await transporter.sendMail(message);
      return { receipt: String(info.response ?? 'accepted') };
    },
    close: () => transporter.close(),
  };
}

function outboxTransport(outboxDir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message, fileName) {
      const info = await transporter.sendMail(message);
      await fs.mkdir(outboxDir, { recursive: true });
      const target = path.join(outboxDir, fileName);
      const temporary = `${target}.tmp`;
      await fs.writeFile(temporary, info.message as Buffer);
      await fs.rename(temporary, target);
      return { receipt: target };
    },
    close: () => transporter.close(),
  };
}
