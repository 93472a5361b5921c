import type { IDataObject } from 'n8n-workflow';

import { hasOwn, isPlainObject } from './objects';

/**
 * A trigger's copy of its credential's signing secrets in the node's static
 * data, tried before the credential. Why: inside a webhook, n8n 2.x resolves a
 * credential through a throw-away workflow that takes an expression isolate of
 * its own (CredentialsHelper.applyDefaultsAndOverwrites), which cost the Lever
 * Trigger a third of its throughput and makes a burst of Proforma callbacks
 * queue behind isolate set-ups. The credential is read again when the copy does
 * not verify (a secret added since) or is older than SECRET_COPY_MAX_AGE_MS (a
 * secret removed since stops working then). Static data is stored unencrypted
 * with the workflow: docs/nodes.md, "Where the tokens live".
 */
export const SECRET_COPY_MAX_AGE_MS = 5 * 60 * 1000;

/** What verification found: whether it verifies, and how many secrets were tried. */
export interface SecretCheck {
	ok: boolean;
	knownSecrets: number;
}

/** The copied secrets under `key` while the copy is fresh, else none. */
export function readSecretCopy(staticData: IDataObject, key: string, now: number): string[] {
	const copy = hasOwn(staticData, key) ? staticData[key] : undefined;
	if (!isPlainObject(copy) || typeof copy.copiedAt !== 'number' || !Array.isArray(copy.tokens))
		return [];
	const age = now - copy.copiedAt;
	if (age < 0 || age > SECRET_COPY_MAX_AGE_MS) return [];
	return copy.tokens.filter((t): t is string => typeof t === 'string' && t !== '');
}

/**
 * Verifies with the copy under `key` first, then with the credential's secrets
 * (`readSecrets`, which returns none when the credential cannot be read),
 * refreshing the copy from them or dropping it when there are none.
 */
export async function verifyWithSecretCopy(
	staticData: IDataObject,
	key: string,
	readSecrets: () => Promise<string[]>,
	verifies: (secrets: string[]) => boolean,
): Promise<SecretCheck> {
	const copy = readSecretCopy(staticData, key, Date.now());
	if (copy.length > 0 && verifies(copy)) return { ok: true, knownSecrets: copy.length };
	const secrets = await readSecrets();
	if (secrets.length > 0) staticData[key] = { tokens: secrets, copiedAt: Date.now() };
	else delete staticData[key];
	return { ok: secrets.length > 0 && verifies(secrets), knownSecrets: secrets.length };
}
