import { ConnectorError, type Connector, type FieldSpec } from '../../connectors/contract.ts';
import { decryptCredentials, type CredentialsKey } from './credentials.ts';
import { literalHostProblem } from './http/private-address.ts';

/** A source's settings as its connector accepted them: what is stored. */
type SourceSettings = ReturnType<Connector['parseConfig']>;

/** Settings the connector or the private-address rule refuses; `field` is the request path, e.g. `body.config.placeId`. */
export class InvalidSourceSettings extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'InvalidSourceSettings';
    this.field = field;
  }
}

/**
 * The settings a new source gets: the connector parses them (defaults, limits, its own
 * rules) and no URL among them may point at this machine or a private network.
 */
export function settingsForNewSource(
  connector: Connector,
  requested: { config: Record<string, unknown>; credentials?: Record<string, string> },
  allowPrivateUrls: boolean,
): SourceSettings {
  return settle(connector, requested.config, requested.credentials ?? {}, allowPrivateUrls);
}

/**
 * The settings after a change, or undefined when neither config nor credentials change.
 * What is not sent is kept: the stored config, or the stored credentials (decrypted), so a
 * new `baseUrl` is checked together with the key it will be sent with, by the same rules as
 * a new source.
 */
export function settingsAfterChange(
  connector: Connector,
  current: { id: string; config: Record<string, unknown>; sealedCredentials: string | null },
  change: { config?: Record<string, unknown>; credentials?: Record<string, string> },
  credentialsKey: CredentialsKey,
  allowPrivateUrls: boolean,
): SourceSettings | undefined {
  if (change.config === undefined && change.credentials === undefined) return undefined;
  const credentials = change.credentials ?? decryptCredentials(credentialsKey, current.id, current.sealedCredentials);
  return settle(connector, change.config ?? current.config, credentials, allowPrivateUrls);
}

function settle(connector: Connector, config: Record<string, unknown>, credentials: Record<string, string>, allowPrivateUrls: boolean): SourceSettings {
  let parsed: SourceSettings;
  try {
    parsed = connector.parseConfig(config, credentials);
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'config') {
      const problem = connectorProblem(error);
      throw new InvalidSourceSettings(problem.field, problem.message);
    }
    throw error;
  }
  refusePrivateUrls('config', connector.configSchema, parsed.config, allowPrivateUrls);
  refusePrivateUrls('credentials', connector.credentialsSchema, parsed.credentials, allowPrivateUrls);
  return parsed;
}

/**
 * The request field a connector's complaint is about: its messages start with the
 * path (`config.placeId is required`), which becomes `body.config.placeId`.
 */
function connectorProblem(error: ConnectorError): { field: string; message: string } {
  const path = /^((?:config|credentials)(?:\.[A-Za-z_$][\w$]*|\[\d+\])*)/.exec(error.message)?.[1];
  if (path === undefined) return { field: 'body.config', message: `body.config: ${error.message}` };
  return { field: `body.${path}`, message: `body.${error.message}` };
}

/**
 * Refuses URL fields (a `baseUrl` override, say) that point at this machine or a
 * private network, so a source cannot be used to probe what sits behind Earshot.
 * Host names that resolve to such addresses are caught again when fetched.
 */
function refusePrivateUrls(part: 'config' | 'credentials', schema: Record<string, FieldSpec>, values: Record<string, unknown>, allowPrivate: boolean): void {
  for (const [name, spec] of Object.entries(schema)) {
    const value = values[name];
    if (spec.type !== 'url' || typeof value !== 'string') continue;
    const problem = literalHostProblem(value, allowPrivate);
    if (problem !== null) throw new InvalidSourceSettings(`body.${part}.${name}`, `body.${part}.${name} ${problem}`);
  }
}
