import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
	JsonObject,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { leverApiRequest, type LeverRequestOptions } from '../../Lever/shared/transport';
import { toIdList } from '../../shared/lists';
import { exactApiError } from '../../shared/errors';
import { hasOwn, isPlainObject } from '../../shared/objects';
import { httpStatusOf } from '../../shared/request';

/**
 * Automatic registration through Lever's `/webhooks` API.
 *
 * Static data of the node (`this.getWorkflowStaticData('node')`) holds, per
 * event, the webhook Lever created and the signature token Lever returned with
 * it: `{ [event]: { id, signatureToken, url } }`. Lever only returns the token on
 * creation, so a webhook whose token we lost is useless to us and is replaced.
 * Static data is persisted with the workflow, so the process that receives a
 * delivery (main or a webhook processor in queue mode) reads the same tokens.
 */

export interface StoredWebhook {
	id: string;
	signatureToken: string;
	/** The URL it delivers to (absent in entries written by hand). */
	url?: string;
}

async function call(
	ctx: IHookFunctions,
	method: IHttpRequestMethods,
	endpoint: string,
	options?: LeverRequestOptions,
): Promise<unknown> {
	return await leverApiRequest.call(ctx, method, endpoint, options);
}

/**
 * The stored webhooks, by event, in a map without a prototype: an attacker's
 * `event` ("constructor", "__proto__") finds nothing there. Entries without an
 * id are ignored; an entry without a token keeps `signatureToken: ''`.
 */
export function readStoredWebhooks(staticData: IDataObject): Record<string, StoredWebhook> {
	const stored = Object.create(null) as Record<string, StoredWebhook>;
	for (const [event, value] of Object.entries(staticData)) {
		if (!isPlainObject(value)) continue;
		if (typeof value.id !== 'string' || value.id === '') continue;
		stored[event] = {
			id: value.id,
			signatureToken: typeof value.signatureToken === 'string' ? value.signatureToken : '',
			...(typeof value.url === 'string' ? { url: value.url } : {}),
		};
	}
	return stored;
}

/** The stored webhook for `event` that has a signature token, if any (own entries only). */
export function storedWebhookFor(
	stored: Record<string, StoredWebhook>,
	event: string,
): StoredWebhook | undefined {
	const hook = hasOwn(stored, event) ? stored[event] : undefined;
	return hook !== undefined && typeof hook.signatureToken === 'string' && hook.signatureToken !== ''
		? hook
		: undefined;
}

/**
 * Whether this registration may delete a stored webhook. While listening for
 * a test event the URL is the test URL; webhooks stored for another URL (the
 * published workflow's) are left alone so testing never breaks production.
 */
function mayManage(ctx: IHookFunctions, hook: StoredWebhook, url: string | undefined): boolean {
	if (hook.url === undefined || hook.url === url) return true;
	return ctx.getMode() !== 'manual';
}

/** `{data: {...}}` as documented by example, or `{data: {data: {...}}}` as some accounts answer. */
export function unwrapWebhook(response: unknown): IDataObject | undefined {
	let current: unknown = isPlainObject(response) ? response.data : undefined;
	if (isPlainObject(current) && current.id === undefined && isPlainObject(current.data))
		current = current.data;
	return isPlainObject(current) ? current : undefined;
}

/** The list of webhooks, tolerating the same double nesting. */
function unwrapList(response: unknown): IDataObject[] {
	let current: unknown = isPlainObject(response) ? response.data : undefined;
	if (isPlainObject(current) && Array.isArray(current.data)) current = current.data;
	return Array.isArray(current) ? current.filter(isPlainObject) : [];
}

/** Automatic or Manual (the trigger's Registration parameter). */
export function registrationOf(ctx: IHookFunctions | IWebhookFunctions): string {
	return ctx.getNodeParameter('registration', 'automatic') as string;
}

/** Automatic registration calls Lever's API: refuse Authentication "None" in words. */
function requireApiAccess(ctx: IHookFunctions): void {
	if (ctx.getNodeParameter('authentication', 'apiKey') !== 'none') return;
	throw new NodeOperationError(ctx.getNode(), 'Automatic registration needs Lever API access', {
		description:
			'Set Authentication to API Key or OAuth2 (the credential must be allowed to manage webhooks), or switch Registration to Manual.',
	});
}

function selectedEvents(ctx: IHookFunctions): string[] {
	const events = toIdList(ctx.getNodeParameter('events', []));
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No Lever event is selected', {
			description: 'Pick at least one event under "Events" before activating the workflow.',
		});
	}
	return [...new Set(events)];
}

/**
 * Every webhook of the account. Lever documents no paging for /webhooks, but
 * follows `next` if it ever sends one, so ours are never missed on page two.
 */
async function listWebhooks(ctx: IHookFunctions): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	let offset: string | undefined;
	for (let page = 0; page < 100; page++) {
		const response = await call(ctx, 'GET', '/webhooks', offset ? { qs: { offset } } : undefined);
		all.push(...unwrapList(response));
		const next =
			isPlainObject(response) && response.hasNext === true && typeof response.next === 'string'
				? response.next
				: '';
		if (next === '' || next === offset) break;
		offset = next;
	}
	return all;
}

/**
 * Deletes one webhook. A 404 means it is already gone and counts as success.
 * Returns the error for anything else, so callers decide whether to throw.
 */
async function deleteWebhook(ctx: IHookFunctions, id: string): Promise<Error | undefined> {
	try {
		await call(ctx, 'DELETE', `/webhooks/${encodeURIComponent(id)}`);
		return undefined;
	} catch (error) {
		if (httpStatusOf(error) === 404) {
			ctx.logger.debug(`Lever webhook ${id} was already deleted`);
			return undefined;
		}
		return error as Error;
	}
}

/**
 * True when every selected event has a stored webhook that Lever still lists
 * with our URL and that event, and nothing else is stored. Anything stale
 * answers false so n8n calls `create`, which starts clean.
 */
export async function checkLeverWebhooks(this: IHookFunctions): Promise<boolean> {
	requireApiAccess(this);
	const staticData = this.getWorkflowStaticData('node');
	const stored = readStoredWebhooks(staticData);
	const events = selectedEvents(this);
	const url = this.getNodeWebhookUrl('default');
	if (
		events.some(
			(event) =>
				!stored[event] || stored[event].signatureToken === '' || (stored[event].url ?? url) !== url,
		)
	) {
		return false;
	}
	if (Object.keys(stored).some((event) => !events.includes(event))) return false;

	const existing = await listWebhooks(this);
	for (const event of events) {
		const hook = existing.find((entry) => entry.id === stored[event].id);
		if (!hook || hook.url !== url || hook.event !== event) {
			this.logger.info(
				`Lever webhook for "${event}" is missing or changed in Lever; it will be registered again`,
			);
			return false;
		}
	}
	return true;
}

/**
 * Registers one webhook per selected event and stores `{id, signatureToken}`.
 * First removes what an earlier activation left behind: webhooks we stored,
 * and webhooks Lever lists at our exact URL (their token is unknown to us, so
 * their deliveries could never be verified). If any creation fails, or Lever
 * returns no signature token, the webhooks created so far are deleted again
 * and a clear error is thrown: a webhook we cannot verify is worse than none.
 */
export async function createLeverWebhooks(this: IHookFunctions): Promise<boolean> {
	requireApiAccess(this);
	const staticData = this.getWorkflowStaticData('node');
	const events = selectedEvents(this);
	const url = this.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(this.getNode(), 'n8n has no webhook URL for this node', {
			description: 'Set WEBHOOK_URL to the public HTTPS address of this n8n instance.',
		});
	}
	await removeEarlierWebhooks(this, staticData, url);

	const created: Record<string, StoredWebhook> = {};
	for (const event of events) {
		const hook = await registerWebhook(this, event, url, async (extraId) => {
			const ids = [
				...Object.values(created).map((entry) => entry.id),
				...(extraId ? [extraId] : []),
			];
			await deleteAfterFailure(this, ids);
		});
		created[event] = hook;
	}
	for (const [event, hook] of Object.entries(created)) {
		staticData[event] = { id: hook.id, signatureToken: hook.signatureToken, url: hook.url ?? url };
	}
	this.logger.info(
		`Registered Lever webhooks for ${events.join(', ')}. A Lever Super Admin may need to switch these webhook groups on in Settings > Integrations and API > Webhooks.`,
	);
	return true;
}

/**
 * Deletes what an earlier activation left behind: webhooks we stored (unless
 * they belong to the published workflow while testing), and webhooks Lever
 * lists at our exact URL (their token is unknown to us, so their deliveries
 * could never be verified). A failed delete is not fatal: the new webhooks get
 * new tokens, and the old one's deliveries are refused (401).
 */
async function removeEarlierWebhooks(
	ctx: IHookFunctions,
	staticData: IDataObject,
	url: string,
): Promise<void> {
	const stored = readStoredWebhooks(staticData);
	const stale = new Set<string>();
	for (const [event, hook] of Object.entries(stored)) {
		if (mayManage(ctx, hook, url)) stale.add(hook.id);
		else
			ctx.logger.info(
				`Kept the Lever webhook for "${event}" registered for ${hook.url ?? 'another URL'} while testing`,
			);
	}
	for (const hook of await listWebhooks(ctx)) {
		if (hook.url === url && typeof hook.id === 'string') stale.add(hook.id);
	}
	for (const id of stale) {
		const failure = await deleteWebhook(ctx, id);
		if (failure)
			ctx.logger.warn(`Could not delete the earlier Lever webhook ${id}: ${failure.message}`);
	}
	for (const [event, hook] of Object.entries(stored)) {
		if (mayManage(ctx, hook, url)) delete staticData[event];
	}
}

/** Deletes the webhooks a failed registration created; a webhook we cannot verify is worse than none. */
async function deleteAfterFailure(ctx: IHookFunctions, ids: string[]): Promise<void> {
	for (const id of ids) {
		const failure = await deleteWebhook(ctx, id);
		if (failure)
			ctx.logger.error(
				`Could not delete Lever webhook ${id} after a failed registration: ${failure.message}`,
			);
	}
}

/**
 * POST /webhooks for one event. On any failure `rollBack` deletes what was
 * created so far (and this webhook, if Lever created it without a token), then
 * a clear error is thrown.
 */
async function registerWebhook(
	ctx: IHookFunctions,
	event: string,
	url: string,
	rollBack: (extraId?: string) => Promise<void>,
): Promise<StoredWebhook> {
	let response: unknown;
	try {
		response = await call(ctx, 'POST', '/webhooks', { body: { url, event } });
	} catch (error) {
		await rollBack();
		throw registrationError(ctx, event, error);
	}
	const hook = unwrapWebhook(response);
	const id = typeof hook?.id === 'string' && hook.id !== '' ? hook.id : undefined;
	const configuration = isPlainObject(hook?.configuration) ? hook.configuration : {};
	const signatureToken =
		typeof configuration.signatureToken === 'string' ? configuration.signatureToken : '';
	if (!id || signatureToken === '') {
		await rollBack(id);
		throw new NodeOperationError(
			ctx.getNode(),
			`Lever registered no usable webhook for "${event}": its answer had no ${id ? 'signature token' : 'webhook id'}`,
			{
				description:
					'Without the signature token deliveries cannot be verified, so the webhooks created were deleted again. Use Manual registration: create the webhook in Lever (Settings > Integrations and API > Webhooks) and paste its signature token into a "Lever Webhook Signature Token" credential.',
			},
		);
	}
	return { id, signatureToken, url };
}

/** Lever refused POST /webhooks: what to fix, by status. */
function registrationError(ctx: IHookFunctions, event: string, error: unknown): NodeApiError {
	const cause = error as NodeApiError;
	const status = httpStatusOf(error);
	return exactApiError(ctx.getNode(), { message: cause.message ?? '' } as JsonObject, {
		message: `Could not register the Lever webhook for "${event}": ${cause.message}`,
		description:
			status === 400
				? 'Lever only delivers to public HTTPS URLs with a certificate from a known authority: check WEBHOOK_URL of this n8n instance, or use Manual registration.'
				: status === 401 || status === 403
					? 'The Lever credential needs permission to manage webhooks (OAuth scope webhooks:write:admin, or an API key allowed to manage webhooks). Or use Manual registration.'
					: (cause.description ?? undefined),
		httpCode: status ? String(status) : undefined,
	});
}

/**
 * Deletes every stored webhook (404 = already gone) and clears its entry.
 * Entries that could not be deleted stay in static data, so the next `create`
 * tries again, and an error names them.
 */
export async function deleteLeverWebhooks(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const url = this.getNodeWebhookUrl('default');
	const failures: string[] = [];
	for (const [event, hook] of Object.entries(readStoredWebhooks(staticData))) {
		if (!mayManage(this, hook, url)) continue;
		const failure = await deleteWebhook(this, hook.id);
		if (failure) {
			this.logger.error(
				`Could not delete the Lever webhook for "${event}" (${hook.id}): ${failure.message}`,
			);
			failures.push(`${event} (${hook.id}): ${failure.message}`);
		} else {
			delete staticData[event];
		}
	}
	if (failures.length > 0) {
		const message = `Could not delete ${failures.length} Lever webhook(s): ${failures.join('; ')}`;
		throw exactApiError(this.getNode(), {} as JsonObject, {
			message,
			description:
				'Delete them in Lever (Settings > Integrations and API > Webhooks) if they remain; their deliveries are refused by this workflow.',
		});
	}
	return true;
}
