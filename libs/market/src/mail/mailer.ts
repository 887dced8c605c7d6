import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Where mail goes, for the start-up banner (never the SMTP URL itself: it may hold a password). */
export function mailDestination(config: AppConfig): string {
  return config.people.smtpUrl ? 'SMTP (SMTP_URL)' : `.eml files in ${resolve(config.people.mailDir)}   (development default; set SMTP_URL to send)`;
}

/**
 * The one way mail leaves the platform. With `SMTP_URL`, through that server; without it (the
 * development default) each mail is written as an .eml file to `MAIL_DIR`, and start-up says
 * where, so `npm start` with nothing configured still shows every invitation and reset link.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger('mail');
  private readonly transport: Transporter;
  private readonly folder: string | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { smtpUrl, mailDir } = config.people;
    if (smtpUrl) {
      this.transport = createTransport(smtpUrl);
    } else {
      this.folder = resolve(mailDir);
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }


  async send(mail: Mail): Promise<void> {
    const info: { message?: Buffer | string } = await this.transport.sendMail({ from: this.config.people.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
    if (!this.folder) return;
    await mkdir(this.folder, { recursive: true });
    const name = `${new Date().toISOString().replaceAll(':', '-')}-${randomBytes(4).toString('hex')}.eml`;
    await writeFile(join(this.folder, name), info.message ?? '');
  }

  /**
   * Sends without holding up the caller (a request answers at once); a failure is logged
   * without the address or the body, which may carry a token.
   */
  sendLater(mail: Mail, what: string): void {
    this.send(mail).catch((error: unknown) => this.logger.warn({ err: error instanceof Error ? error.message.split('\n')[0] : String(error) }, `${what} mail not sent`));
  }
}
