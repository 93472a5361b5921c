/**
 * The triggers as an attacker sees them: thousands of mutated deliveries,
 * seeded, through the built webhook() of both triggers (dist/, what the npm
 * package ships; `npm test` builds first). A fake n8n context stands in for
 * the request, the response, static data, the credentials and a Lever API
 * that knows which stage each opportunity is in.
 *
 * What must never happen: a doctored, forged or unauthenticated delivery
 * starting an execution; webhook() throwing; a secret (signing token, API
 * key, the delivery's token or signature) in an answer, an item, an error or
 * a log line; a log line that is unbounded or spans lines. And every genuine
 * delivery must start exactly one execution.
 */
import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { loadBuiltNode } from '../../support/built';
import { mulberry32 } from '../leverTrigger/fixtures';

interface TriggerClass {
	new (): { webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> };
}
const LeverTrigger = loadBuiltNode(
	'LeverTrigger/LeverTrigger.node.js',
	'LeverTrigger',
) as TriggerClass;
const ProformaTrigger = loadBuiltNode(
	'ProformaTrigger/ProformaTrigger.node.js',
	'ProformaTrigger',
) as TriggerClass;

const hmac = (key: string, message: string | Buffer) =>
	createHmac('sha256', key).update(message).digest('hex');

// Secrets made at run time from labels (nothing secret-looking in source).
const secretOf = (label: string) => hmac('fuzz', label).slice(0, 40);
const MANUAL_TOKEN = secretOf('manual-signing');
const STAGE_TOKEN = secretOf('automatic-stage-change');
const HIRED_TOKEN = secretOf('automatic-hired');
const API_KEY = secretOf('lever-api-key');
const PROFORMA_SECRET = secretOf('proforma-signing');
const PROFORMA_API_KEY = secretOf('proforma-api-key');
const SECRETS = [
	MANUAL_TOKEN,
	STAGE_TOKEN,
	HIRED_TOKEN,
	API_KEY,
	PROFORMA_SECRET,
	PROFORMA_API_KEY,
];

const STAGE = 'stage-background';
const OTHER_STAGE = 'stage-phone';
/** The fake Lever: which stage each opportunity is in. */
const LEVER_OPPORTUNITIES: Record<string, string> = {
	'opp-ada': STAGE,
	'opp-victim': OTHER_STAGE,
	'opp-bob': STAGE,
};

interface Outcome {
	started: boolean;
	status?: number;
	sent?: unknown;
	items: IDataObject[];
	logs: string[];
	leverCalls: string[];
	threw?: unknown;
}

interface Delivery {
	body?: unknown;
	raw: Buffer;
	headers?: Record<string, unknown>;
}

/** One webhook() call in a fake n8n. */
async function deliver(
	Trigger: TriggerClass,
	delivery: Delivery,
	parameters: IDataObject,
	credentials: Record<string, IDataObject>,
	staticData: IDataObject = {},
): Promise<Outcome> {
	const outcome: Outcome = { started: false, items: [], logs: [], leverCalls: [] };
	const log = (line: unknown) => outcome.logs.push(String(line));
	const res = {
		status(code: number) {
			outcome.status = code;
			return res;
		},
		send(payload: unknown) {
			outcome.sent = payload;
			return res;
		},
		json(payload: unknown) {
			outcome.sent = payload;
			return res;
		},
		end: () => res,
		setHeader: () => res,
	};
	const context = {
		getNode: () => ({
			id: 'n',
			name: 'Trigger',
			type: 'trigger',
			typeVersion: 1,
			position: [0, 0],
			parameters,
		}),
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getCredentials: async (type: string) => {
			if (!credentials[type])
				throw new Error(`Node does not have credentials of type "${type}" set`);
			return credentials[type];
		},
		getRequestObject: () => ({
			body: delivery.body,
			rawBody: delivery.raw,
			headers: delivery.headers ?? {},
		}),
		getResponseObject: () => res,
		getWorkflowStaticData: () => staticData,
		getBodyData: () => delivery.body,
		getHeaderData: () => delivery.headers ?? {},
		logger: { debug: log, info: log, warn: log, error: log },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
				outcome.leverCalls.push(options.url);
				const id = decodeURIComponent(options.url.split('/opportunities/')[1] ?? '');
				if (id.length > 2000) {
					throw Object.assign(new Error('Request failed with status code 414'), {
						response: {
							status: 414,
							headers: {},
							data: { code: 'UriTooLong', message: 'URI too long' },
						},
					});
				}
				if (!Object.prototype.hasOwnProperty.call(LEVER_OPPORTUNITIES, id)) {
					throw Object.assign(new Error('Request failed with status code 404'), {
						response: {
							status: 404,
							headers: {},
							data: { code: 'ResourceNotFound', message: 'not found' },
						},
					});
				}
				const opportunity = {
					id,
					name: 'Candidate',
					stage: { id: LEVER_OPPORTUNITIES[id], text: 'Stage' },
				};
				return { statusCode: 200, headers: {}, body: { data: opportunity } };
			},
		},
	} as unknown as IWebhookFunctions;
	try {
		const result = await new Trigger().webhook.call(context);
		if (result.webhookResponse !== undefined) {
			// n8n answers 200 with it, and starts nothing.
			outcome.status = 200;
			outcome.sent = result.webhookResponse;
		}
		const items = result.workflowData?.[0] ?? [];
		outcome.started = items.length > 0;
		outcome.items = items.map((item) => item.json);
	} catch (error) {
		outcome.threw = error;
	}
	return outcome;
}

/** What must hold for every delivery, genuine or not. */
function checkInvariants(outcome: Outcome, extraSecrets: string[], label: string): void {
	if (outcome.threw !== undefined)
		throw new Error(`${label}: webhook() threw ${String(outcome.threw)}`);
	const visible = JSON.stringify([outcome.sent, outcome.items, outcome.logs]);
	for (const secret of [...SECRETS, ...extraSecrets]) {
		if (secret.length >= 16 && visible.includes(secret))
			throw new Error(`${label}: a secret appeared in the answer, item or log`);
	}
	for (const line of outcome.logs) {
		if (line.length > 600 || /[\r\n]/.test(line))
			throw new Error(`${label}: unbounded or multi-line log line: ${line.slice(0, 200)}`);
	}
	if (!outcome.started && outcome.status === undefined)
		throw new Error(`${label}: neither started nor answered`);
}

// ---------------------------------------------------------------- Lever

interface Envelope extends IDataObject {
	event: string;
	token: string;
	triggeredAt: number;
	signature: string;
	data: IDataObject;
}

function leverDelivery(
	key: string,
	random: () => number,
	overrides: Partial<Envelope> = {},
): Envelope {
	const token = hmac('token', String(random())).slice(0, 48);
	const triggeredAt = overrides.triggeredAt ?? Date.now() - Math.floor(random() * 60_000);
	return {
		id: `evt-${Math.floor(random() * 1e9)}`,
		event: 'candidateStageChange',
		token,
		triggeredAt,
		signature: hmac(key, token + String(triggeredAt)),
		data: {
			opportunityId: 'opp-ada',
			candidateId: 'opp-ada',
			toStageId: STAGE,
			fromStageId: OTHER_STAGE,
		},
		...overrides,
	};
}

const asDelivery = (body: unknown): Delivery => ({
	body,
	raw: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

interface LeverSetup {
	name: string;
	key: string;
	parameters: IDataObject;
	credentials: Record<string, IDataObject>;
	staticData: () => IDataObject;
	/** Whether Lever is asked about the opportunity (the replay guard). */
	guarded: boolean;
}

const base = { events: ['candidateStageChange'], toStageIds: [], fromStageIds: [], options: {} };
const LEVER_SETUPS: LeverSetup[] = [
	{
		name: 'manual, fetch on',
		key: MANUAL_TOKEN,
		parameters: {
			...base,
			registration: 'manual',
			authentication: 'apiKey',
			fetchOpportunity: true,
		},
		credentials: {
			leverWebhookSigningApi: { signatureToken: MANUAL_TOKEN },
			leverApi: { apiKey: API_KEY },
		},
		staticData: () => ({}),
		guarded: true,
	},
	{
		name: 'manual, no API access',
		key: MANUAL_TOKEN,
		parameters: { ...base, registration: 'manual', authentication: 'none', toStageIds: [STAGE] },
		credentials: { leverWebhookSigningApi: { signatureToken: MANUAL_TOKEN } },
		staticData: () => ({}),
		guarded: false,
	},
	{
		name: 'automatic, two events, Max Age 300',
		key: STAGE_TOKEN,
		parameters: {
			...base,
			registration: 'automatic',
			authentication: 'apiKey',
			fetchOpportunity: true,
			events: ['candidateStageChange', 'candidateHired'],
			options: { maxAgeSeconds: 300 },
		},
		credentials: { leverApi: { apiKey: API_KEY } },
		staticData: () => ({
			candidateStageChange: { id: 'wh-1', signatureToken: STAGE_TOKEN },
			candidateHired: { id: 'wh-2', signatureToken: HIRED_TOKEN },
		}),
		guarded: true,
	},
];

const PROTOTYPE_NAMES = [
	'constructor',
	'__proto__',
	'toString',
	'hasOwnProperty',
	'valueOf',
	'isPrototypeOf',
	'__defineGetter__',
	'toLocaleString',
];
const NOT_A_STRING_ID: unknown[] = [42, ['opp-ada'], { id: 'opp-ada' }, null, '', true, 0];

type Mutation = (
	genuine: Envelope,
	random: () => number,
	setup: LeverSetup,
) => Delivery | undefined;

const pick = <T>(random: () => number, list: readonly T[]): T =>
	list[Math.floor(random() * list.length)];
const resign = (envelope: Envelope, key: string): Envelope => ({
	...envelope,
	signature: hmac(key, envelope.token + String(envelope.triggeredAt)),
});
const otherHex = (c: string, random: () => number) =>
	pick(
		random,
		[...'0123456789abcdef'].filter((x) => x !== c),
	);

/** Mutations that must never start an execution, by family. */
const LEVER_MUTATIONS: Record<string, Mutation> = {
	signatureByte: (g, r) => {
		const at = Math.floor(r() * 64);
		return asDelivery({
			...g,
			signature:
				g.signature.slice(0, at) + otherHex(g.signature[at], r) + g.signature.slice(at + 1),
		});
	},
	signatureCase: (g) =>
		/[a-f]/.test(g.signature)
			? asDelivery({ ...g, signature: g.signature.toUpperCase() })
			: undefined,
	signatureLength: (g, r) =>
		asDelivery({
			...g,
			signature:
				r() < 0.5 ? g.signature.slice(0, 1 + Math.floor(r() * 63)) : g.signature + otherHex('', r),
		}),
	signatureType: (g, r) =>
		asDelivery({
			...g,
			signature: pick(r, [null, 0, [g.signature], { v1: g.signature }, `sha256=${g.signature}`]),
		}),
	tokenChange: (g, r) => {
		const at = Math.floor(r() * g.token.length);
		return asDelivery({
			...g,
			token: pick(r, [
				g.token.slice(0, at) + otherHex(g.token[at], r) + g.token.slice(at + 1),
				g.token + '0',
				g.token.slice(1),
				'',
				7,
			]),
		});
	},
	triggeredAtValue: (g, r) =>
		asDelivery({
			...g,
			triggeredAt: g.triggeredAt + pick(r, [1, -1, 1000, -86_400_000, 10 ** Math.floor(r() * 6)]),
		}),
	triggeredAtType: (g, r) =>
		asDelivery({
			...g,
			triggeredAt: pick(r, [
				String(g.triggeredAt),
				[g.triggeredAt],
				null,
				true,
				g.triggeredAt + 0.5,
				-g.triggeredAt,
			]),
		}),
	triggeredAtSpelling: (g, r) => {
		// Other numbers spelled in JSON: seconds, exponents of another value, leading zeros.
		const text = JSON.stringify(g);
		const spelled = pick(r, [
			`${Math.floor(g.triggeredAt / 1000)}`,
			`${g.triggeredAt}1`,
			`1${g.triggeredAt}`,
			`${(g.triggeredAt + 1) / 1e12}e12`,
			`0${g.triggeredAt}`,
		]);
		const raw = Buffer.from(
			text.replace(`"triggeredAt":${g.triggeredAt}`, `"triggeredAt":${spelled}`),
		);
		let body: unknown;
		try {
			body = JSON.parse(raw.toString());
		} catch {
			body = {};
		}
		return { body, raw };
	},
	deletedField: (g, r) => {
		const field = pick(r, ['token', 'triggeredAt', 'signature', 'event']);
		return asDelivery(Object.fromEntries(Object.entries(g).filter(([key]) => key !== field)));
	},
	duplicatedField: (g, r) => {
		// JSON keeps the last of duplicated keys: a second, different token or time.
		const field = pick(r, ['token', 'triggeredAt']);
		const other = field === 'token' ? JSON.stringify(`${g.token}0`) : String(g.triggeredAt + 1);
		const raw = Buffer.from(JSON.stringify(g).replace(/}$/, `,"${field}":${other}}`));
		return { body: JSON.parse(raw.toString()), raw };
	},
	dataSwap: (g, r, s) => {
		// Lever says the candidate named now is not in the stage: only the replay guard can tell.
		if (!s.guarded) return undefined;
		const victim = pick(r, ['opp-victim', 'opp-unknown']);
		return asDelivery({ ...g, data: { ...g.data, opportunityId: victim, candidateId: victim } });
	},
	noStringOpportunityId: (g, r, s) => {
		if (!s.guarded) return undefined;
		const shape = Math.floor(r() * 3);
		const data: IDataObject =
			shape === 0
				? { toStageId: STAGE, applicationId: 'app-1' }
				: shape === 1
					? { ...g.data, opportunityId: pick(r, NOT_A_STRING_ID) }
					: { toStageId: STAGE };
		if (shape === 2) {
			// Only under an own "__proto__" key, as JSON.parse makes it.
			const raw = Buffer.from(
				JSON.stringify({ ...g, data: {} }).replace(
					'"data":{}',
					`"data":{"__proto__":{"opportunityId":"opp-ada"},"toStageId":"${STAGE}"}`,
				),
			);
			return { body: JSON.parse(raw.toString()), raw };
		}
		return asDelivery({ ...g, data });
	},
	noStringStage: (g, r) =>
		asDelivery({
			...g,
			data: { ...g.data, toStageId: pick(r, [null, 7, ['stage'], { id: STAGE }, '']) },
		}),
	prototypeEvent: (g, r, s) => {
		const event = pick(r, PROTOTYPE_NAMES);
		// Signed with the setup's key or not at all: neither may start anything.
		return asDelivery(
			r() < 0.5
				? { ...resign(g, s.key), event }
				: { ...g, event, signature: hmac('attacker', g.token) },
		);
	},
	digitMove: (g, r, s) => {
		// An old genuine delivery (47 days), its digits moved between token and triggeredAt.
		if (!(Number((s.parameters.options as IDataObject).maxAgeSeconds) > 0)) return undefined;
		const old = resign(
			{ ...g, token: g.token.slice(0, 40) + '12345678', triggeredAt: Date.now() - 47 * 86_400_000 },
			s.key,
		);
		const joined = old.token + String(old.triggeredAt);
		const cut = old.token.length + pick(r, [-3, -2, -1, 1, 2, 3, 0]);
		const triggeredAt = Number(joined.slice(cut));
		return asDelivery({ ...old, token: joined.slice(0, cut), triggeredAt });
	},
	relabelledEvent: (g, r, s) => {
		// Automatic: each event has its own token. Manual: one selected event, so a re-label is not selected.
		const event = pick(r, [
			'candidateHired',
			'candidateArchiveChange',
			'applicationCreated',
			'candidateDeleted',
		]);
		const selected = s.parameters.events as string[];
		if (s.parameters.registration === 'manual' && selected.includes(event)) return undefined;
		return asDelivery({ ...g, event });
	},
	hugeOpportunityId: (g, r, s) => {
		// Lever refuses the read (414): the answer is a 500, and the log line stays bounded.
		if (!s.guarded) return undefined;
		const id = `opp-${'9'.repeat(3000 + Math.floor(r() * 5000))}\n2026-01-01 INFO fake`;
		return asDelivery({ ...g, data: { ...g.data, opportunityId: id, candidateId: id } });
	},
	unsigned: (g, r) =>
		asDelivery({
			...g,
			signature: hmac(
				pick(r, ['guess', '', 'secret', 'lever']) || 'x',
				g.token + String(g.triggeredAt),
			),
		}),
	notAnEnvelope: (g, r) => {
		const raw = Buffer.from(
			pick(r, [
				'',
				'null',
				'[]',
				'"x"',
				'{',
				'token=a&signature=b',
				JSON.stringify(g).slice(0, 40),
				`{"event":"${'x'.repeat(2000)}\\nINFO fake"}`,
			]),
		);
		return { body: undefined, raw };
	},
	futureTime: (g, r, s) =>
		asDelivery(
			resign({ ...g, triggeredAt: Date.now() + pick(r, [2, 24, 24 * 365]) * 3_600_000 }, s.key),
		),
	logInjection: (g, r, s) =>
		asDelivery(
			resign(
				{
					...g,
					event: `candidateStageChange\n2026-01-01 INFO ${'A'.repeat(Math.floor(r() * 200_000))}`,
				},
				s.key,
			),
		),
};

describe('fuzz: Lever Trigger webhook() (built), fixed seed', () => {
	it('starts every genuine delivery and no doctored one, in 10,000+ mutated deliveries', async () => {
		const random = mulberry32(0x9e11);
		const families = Object.keys(LEVER_MUTATIONS);
		const counts: Record<string, number> = {};
		let genuineStarted = 0;
		let doctored = 0;
		for (let i = 0; doctored < 10_500; i++) {
			// Every family meets every setup, whatever the two counts.
			const setup = LEVER_SETUPS[Math.floor(i / families.length) % LEVER_SETUPS.length];
			const genuine = leverDelivery(setup.key, random);
			if (i % 10 === 0) {
				const outcome = await deliver(
					LeverTrigger,
					asDelivery(genuine),
					setup.parameters,
					setup.credentials,
					setup.staticData(),
				);
				checkInvariants(
					outcome,
					[genuine.token, genuine.signature],
					`genuine #${i} (${setup.name})`,
				);
				if (!outcome.started)
					throw new Error(
						`genuine #${i} (${setup.name}) did not start: ${JSON.stringify(outcome.sent)}`,
					);
				expect(outcome.items).toHaveLength(1);
				expect(outcome.items[0]).toMatchObject({
					event: 'candidateStageChange',
					opportunityId: 'opp-ada',
					toStageId: STAGE,
				});
				genuineStarted++;
			}
			const family = families[i % families.length];
			const mutated = LEVER_MUTATIONS[family](genuine, random, setup);
			if (mutated === undefined) continue;
			const outcome = await deliver(
				LeverTrigger,
				mutated,
				setup.parameters,
				setup.credentials,
				setup.staticData(),
			);
			const label = `${family} #${i} (${setup.name}): ${mutated.raw.toString('utf8').slice(0, 300)}`;
			checkInvariants(outcome, [genuine.token, genuine.signature], label);
			if (outcome.started) throw new Error(`${label} started an execution`);
			const allowed = family === 'hugeOpportunityId' ? [500] : [200, 400, 401];
			if (!allowed.includes(outcome.status ?? 0))
				throw new Error(`${label} was answered ${outcome.status}`);
			counts[family] = (counts[family] ?? 0) + 1;
			doctored++;
		}
		expect(doctored).toBeGreaterThanOrEqual(10_000);
		expect(genuineStarted).toBeGreaterThan(1000);
		// Every family ran, each many times.
		for (const family of families)
			expect(`${family}: ${counts[family] ?? 0}`).toMatch(/: [1-9][0-9]{2,}$/);
	}, 60_000);
});

// ---------------------------------------------------------------- Proforma

interface Callback {
	raw: string;
	header: string;
}

function proformaCallback(
	random: () => number,
	type = 'order.completed',
	at = Math.floor(Date.now() / 1000),
): Callback {
	const order = {
		id: `ord_${Math.floor(random() * 1e9)}`,
		status: 'completed',
		result: 'clear',
		clientReference: 'opp-ada',
	};
	const raw = JSON.stringify({
		id: `evt_${Math.floor(random() * 1e9)}`,
		type,
		createdAt: new Date().toISOString(),
		data: { order },
	});
	return { raw, header: `t=${at},v1=${hmac(PROFORMA_SECRET, `${at}.${raw}`)}` };
}
const callbackDelivery = (raw: string | Buffer, header: unknown): Delivery => {
	const bytes = Buffer.from(raw);
	let body: unknown;
	try {
		body = JSON.parse(bytes.toString());
	} catch {
		body = {};
	}
	return {
		body,
		raw: bytes,
		headers: header === undefined ? {} : { 'proforma-signature': header },
	};
};

type CallbackMutation = (genuine: Callback, random: () => number) => Delivery;
const PROFORMA_MUTATIONS: Record<string, CallbackMutation> = {
	signatureByte: (g, r) => {
		const sig = g.header.split('v1=')[1];
		const at = Math.floor(r() * 64);
		return callbackDelivery(
			g.raw,
			g.header.replace(
				sig,
				sig.slice(0, at) + otherHex(sig[at].toLowerCase(), r) + sig.slice(at + 1),
			),
		);
	},
	timestamp: (g, r) => {
		const t = Number(/t=(\d+)/.exec(g.header)![1]);
		return callbackDelivery(
			g.raw,
			g.header.replace(`t=${t}`, `t=${pick(r, [t + 1, t - 1, t * 1000, 0, `${t}0`, ''])}`),
		);
	},
	bodyByte: (g, r) => {
		const bytes = Buffer.from(g.raw);
		const at = Math.floor(r() * bytes.length);
		bytes[at] = (bytes[at] + 1 + Math.floor(r() * 254)) % 256;
		return callbackDelivery(bytes, g.header);
	},
	headerShape: (g, r) =>
		callbackDelivery(
			g.raw,
			pick(r, [
				undefined,
				'',
				g.header.split(',')[1],
				g.header.split(',')[0],
				`${g.header},t=1`,
				g.header.replace('v1=', 'v0='),
				[g.header.split(',')[0]],
				g.header.replace('t=', 'T='),
				{ t: 1 },
				`t=${'9'.repeat(3000)},v1=${'0'.repeat(64)}`,
			]),
		),
	stale: (g, r) => {
		const at = Math.floor(Date.now() / 1000) + pick(r, [-301, -3600, 302, 86_400]);
		const raw = g.raw;
		return callbackDelivery(raw, `t=${at},v1=${hmac(PROFORMA_SECRET, `${at}.${raw}`)}`);
	},
	wrongSecret: (g, r) => {
		const at = Math.floor(Date.now() / 1000);
		return callbackDelivery(
			g.raw,
			`t=${at},v1=${hmac(pick(r, ['guess', 'proforma', 'secret']), `${at}.${g.raw}`)}`,
		);
	},
	unselectedType: (_g, r) => {
		// Genuinely signed, but a type the trigger does not listen to (some are substrings of the selected one).
		const c = proformaCallback(
			r,
			pick(r, [
				'order.created',
				'order.status_changed',
				'order',
				'completed',
				'order.complete',
				'constructor',
			]),
		);
		return callbackDelivery(c.raw, c.header);
	},
};

describe('fuzz: Proforma Trigger webhook() (built), fixed seed', () => {
	const credentials = {
		proformaApi: {
			baseUrl: 'https://api.proforma.test',
			apiKey: PROFORMA_API_KEY,
			signingSecret: PROFORMA_SECRET,
		},
	};
	// Events as the editor stores them, and as an expression string.
	const setups: IDataObject[] = [
		{ events: ['order.completed'], options: {} },
		{ events: 'order.completed', options: { toleranceSeconds: 300 } },
	];

	it('starts every genuine callback and no doctored one, in 2,000+ mutated callbacks', async () => {
		const random = mulberry32(0x9f07);
		const families = Object.keys(PROFORMA_MUTATIONS);
		const counts: Record<string, number> = {};
		let genuineStarted = 0;
		for (let i = 0; i < 2_400; i++) {
			const parameters = setups[i % setups.length];
			const genuine = proformaCallback(random);
			if (i % 10 === 0) {
				const outcome = await deliver(
					ProformaTrigger,
					callbackDelivery(genuine.raw, genuine.header),
					parameters,
					credentials,
				);
				checkInvariants(outcome, [], `genuine callback #${i}`);
				if (!outcome.started)
					throw new Error(`genuine callback #${i} did not start: ${JSON.stringify(outcome.sent)}`);
				genuineStarted++;
			}
			const family = families[i % families.length];
			const mutated = PROFORMA_MUTATIONS[family](genuine, random);
			const outcome = await deliver(ProformaTrigger, mutated, parameters, credentials);
			const label = `${family} #${i}: ${String(mutated.headers?.['proforma-signature']).slice(0, 120)} ${mutated.raw.toString('latin1').slice(0, 200)}`;
			checkInvariants(outcome, [], label);
			if (outcome.started) throw new Error(`${label} started an execution`);
			counts[family] = (counts[family] ?? 0) + 1;
		}
		expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2_000);
		expect(genuineStarted).toBe(240);
		for (const family of families) expect(counts[family]).toBeGreaterThan(200);
	}, 60_000);
});
