import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { AlertRuleConditionsInput } from '../../services/alerts/rules/rule-input.ts';
import type { FakeReceiver } from '../alerts/channels/adapter.ts';
import { nockReceiver } from '../alerts/channels/nock-receiver.ts';
import { startPipeline, type Pipeline } from './pipeline.ts';
import { startRecordingSmtp, type RecordingSmtp } from './smtp.ts';

/** One test file's pipeline for notices (escalations, spikes, source notices) that go by email and to channels. */
export interface NoticePipeline {
  readonly pipeline: Pipeline;
  readonly smtp: RecordingSmtp;
  /**
   * A Slack channel of the account named by a rule of the business, and its fake receiver
   * (served by nock, stopped after the test).
   */
  slackRule(businessId: string, rule: { when?: AlertRuleConditionsInput; delivery: 'instant' | 'daily' }): Promise<{ channelId: string; receiver: FakeReceiver }>;
}

/**
 * Registers the file's hooks: the real pipeline with its workers, sending email to a recording
 * SMTP server, and Slack through nock with the real network refused. Read `pipeline` and `smtp`
 * inside tests or hooks registered after this call.
 */
export function useNoticePipeline(): NoticePipeline {
  let pipeline: Pipeline | undefined;
  let smtp: RecordingSmtp | undefined;
  const receivers: FakeReceiver[] = [];
  let counter = 0;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    smtp = await startRecordingSmtp();
    pipeline = await startPipeline({ SMTP_URL: smtp.url });
    pipeline.startWorkers();
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
    nock.cleanAll();
  });
  afterAll(async () => {
    await pipeline?.stop();
    await smtp?.stop();
    nock.enableNetConnect();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the notice pipeline is not started yet: read it inside a test or a later hook');
    return value;
  };

  return {
    get pipeline() {
      return started(pipeline);
    },
    get smtp() {
      return started(smtp);
    },
    async slackRule(businessId, rule) {
      counter++;
      const api = started(pipeline).api;
      const webhookUrl = `https://hooks.slack.test/services/T0000/B${counter}/notices${counter}XXXXXXXX`;
      const channel = await api('POST', '/v1/channels', { type: 'slack', name: `Slack ${counter}`, config: { webhookUrl } });
      expect(channel.status, JSON.stringify(channel.body)).toBe(201);
      const added = await api('POST', `/v1/businesses/${businessId}/alert-rules`, { ...rule, to: { channelId: channel.body.id } });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const receiver = nockReceiver(webhookUrl, { status: 200, body: 'ok' });
      receivers.push(receiver);
      return { channelId: channel.body.id, receiver };
    },
  };
}
