import { alertAddresses, InvalidBusinessSettings } from '../../../businesses/business-input.ts';
import { rejectUnknownFields, refuseField } from '../config-fields.ts';
import type { Channel, FieldSpec } from '../contract.ts';
import { renderChannelEmail } from './render.ts';
import { smtpError } from './smtp-errors.ts';

export interface EmailConfig {
  to: string[];
}

const configSchema: Record<string, FieldSpec> = {
  to: { type: 'string[]', required: true, secret: false, description: 'The addresses each alert is emailed to (1 to 20)' },
};

/**
 * Email through the server's own mail transport (SMTP_URL, or .eml files in the outbox).
 * The Message-ID is fixed per delivery, so a server or client that sees one message twice
 * can tell; the outbox's file name likewise, so a repeated write replaces the file.
 */
export const email: Channel<EmailConfig, Record<string, never>> = {
  type: 'email',
  displayName: 'Email',
  configSchema,
  credentialsSchema: {},
  receiverDropsRepeats: false,

  parseConfig(config, credentials) {
    rejectUnknownFields('config', config, configSchema);
    rejectUnknownFields('credentials', credentials, {});
    const to = config.to;
    if (!Array.isArray(to) || to.some((address) => typeof address !== 'string')) refuseField('config.to', 'must be a list of email addresses');
    try {
      // The same rule as a business's alert addresses: one to twenty mailboxes, each once.
      return { config: { to: alertAddresses((to as string[]).map((address) => address.trim())) }, credentials: {} };
    } catch (error) {
      if (error instanceof InvalidBusinessSettings) refuseField(error.field.replace(/^alertEmails/, 'config.to'), error.problem);
      throw error;
    }
  },

  /** A no-op: the transport is the server's own, checked when it starts; the addresses are checked by parseConfig. */
  async check() {},

  async send(message, config, _credentials, ctx) {
    const rendered = renderChannelEmail(message);
    try {
      const sent = await ctx.mail.transport.send(
        {
          from: ctx.mail.from,
          to: config.to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: `<${message.deliveryId}@earshot.alerts>`,
          headers: { 'X-Earshot-Delivery': message.deliveryId, ...(message.item ? { 'X-Earshot-Item': message.item.itemId } : {}) },
        },
        `${message.deliveryId}.eml`,
      );
      return { detail: sent.receipt };
    } catch (error) {
      throw smtpError(error);
    }
  },
};
