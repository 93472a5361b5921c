import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	candidateLocation,
	findPackageTag,
	type TagLookup,
	firstEmail,
	firstPhone,
	leverIdempotencyKey,
	normaliseOpportunity,
	postingId,
	rescreenReference,
	resolvePackage,
	splitName,
	type CandidateFields,
} from '../../shared/opportunity';
import {
	CLOSED_STATUSES,
	createOrder,
	getOrder,
	idempotencyConflictError,
	isOrderOfRequest,
	listPackages,
	type CreateOrderRequest,
} from '../../shared/api';
import {
	formatDetails,
	proformaErrorInfo,
	type ProformaErrorInfo,
	type ProformaPackage,
} from '../../shared/transport';
import { parseJsonParameter, type ProformaExecutionState } from '../../shared/utils';
import { asNodeError } from '../../../shared/errors';
import { isPlainObject } from '../../../shared/objects';
import { callbackUrlField } from '../../shared/descriptions';

/**
 * Where the opportunity comes from. Reading the input item costs no expression
 * (n8n evaluates each one in an isolate, the big object included), so version
 * 1.1 makes it the default; version 1 keeps the expression it had.
 */
function opportunitySourceField(
	versions: Array<number | { _cnd: { gte: number } }>,
	defaultSource: 'inputItem' | 'define',
): INodeProperties {
	return {
		displayName: 'Lever Opportunity',
		name: 'opportunitySource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'From the Input Item',
				value: 'inputItem',
				description:
					"The item itself, or its 'opportunity' field: what Lever's Get Opportunity and the Lever Trigger with Fetch Opportunity output",
			},
			{
				name: 'Define Below',
				value: 'define',
				description: 'The opportunity as JSON or an expression',
			},
		],
		default: defaultSource,
		displayOptions: { show: { '@version': versions } },
	};
}

const properties: INodeProperties[] = [
	{
		displayName:
			"Orders the package named by the candidate's 'Proforma_&lt;package&gt;' tag with the candidate's data from Lever (change it under Candidate Overrides). Each candidate gets an outcome: ordered, alreadyOrdered, skipped (screened already, or an order that ended before the candidate was moved again), or a problem saying what to fix.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	opportunitySourceField([1], 'define'),
	opportunitySourceField([{ _cnd: { gte: 1.1 } }], 'inputItem'),
	{
		displayName: 'Opportunity (JSON)',
		name: 'opportunity',
		type: 'json',
		default: '={{ $json.opportunity }}',
		required: true,
		description:
			'The Lever opportunity (with applications expanded): name, emails, phones, location, tags, applications',
		displayOptions: { show: { opportunitySource: ['define'] } },
	},
	{
		displayName: 'Package Tag Prefix',
		name: 'packageTagPrefix',
		type: 'string',
		default: 'Proforma_',
		description:
			'Opportunity tags starting with this prefix name the package: Proforma_standard orders the package with code "standard" (or named "Standard")',
	},
	{
		displayName: 'Default Package',
		name: 'defaultPackage',
		type: 'string',
		default: '',
		placeholder: 'standard',
		description:
			'The package (code or name) for candidates without a package tag. Empty: such a candidate gets a problem asking for a tag. A package tag always wins.',
	},
	callbackUrlField,
	{
		displayName: 'Re-Screen After (Days)',
		name: 'rescreenAfterDays',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description:
			"0: a candidate whose screening completed is skipped when moved into the stage again. N: such a candidate gets a new order when the last one completed more than N days ago (its client reference is '&lt;reference&gt;-after-&lt;completed order ID&gt;', as Proforma takes one order per reference and package).",
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description:
			'Extra JSON stored on the order. leverOpportunityId and leverPostingId are always added.',
	},
	{
		displayName: 'Candidate Overrides',
		name: 'candidateOverrides',
		type: 'collection',
		placeholder: 'Add Override',
		default: {},
		description:
			'Values that replace what is derived from the opportunity. A field left empty keeps the derived value.',
		options: [
			{
				displayName: 'Client Reference',
				name: 'clientReference',
				type: 'string',
				default: '',
				description:
					'Empty: the opportunity ID (it is part of the Idempotency-Key, so set another only for a deliberate re-screen)',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description:
					"Empty: the first of the opportunity's emails (else the first of its contact's). Proforma emails the candidate the link to the screening form here.",
			},
			{
				displayName: 'First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				description:
					'Empty: the opportunity\'s name up to its last word ("Ada King Lovelace" → "Ada King"; "Lovelace, Ada" → "Ada"). Particles such as van or de and suffixes such as Jr. go with the last name.',
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				description:
					'Empty: the last word of the opportunity\'s name, with a particle or suffix before or after it ("Ludwig van Beethoven" → "van Beethoven"; "Lovelace, Ada" → "Lovelace")',
			},
			{
				displayName: 'Location',
				name: 'location',
				type: 'string',
				default: '',
				placeholder: 'Toronto, ON',
				description:
					"Empty: the opportunity's location (else its contact's location name); none when neither is set",
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				placeholder: '+1 555 0100',
				description:
					"Empty: the first of the opportunity's phones (else the first of its contact's); none when there is none",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['createForOpportunity'] } },
	properties,
);

export type Outcome = 'ordered' | 'alreadyOrdered' | 'skipped' | 'problem';

export interface OpportunityOrderResult extends IDataObject {
	outcome: Outcome;
	problem: string | null;
	/** Why nothing was ordered and nothing needs a fix (outcome `skipped`). */
	skipReason: string | null;
	/**
	 * The problem is Proforma's (outage, rate limit, timeout), not the
	 * candidate's: ordering again later needs no fix and never orders twice.
	 */
	retryLater: boolean;
	opportunityId: string | null;
	packageTag: string | null;
	packageCode: string | null;
	candidate: CandidateFields;
	idempotencyKey: string | null;
	order: IDataObject | null;
	replayed: boolean;
	/** The completed order this order re-screens (Re-Screen After (Days)), else null. */
	rescreenOf: IDataObject | null;
}

/** Proforma could not answer now (unreachable, rate limited, a server error): worth trying later. */
export function isTransient(info: ProformaErrorInfo): boolean {
	return info.kind === 'network' || info.status === 429 || (info.status ?? 0) >= 500;
}

/** Plain words for a Proforma failure, for a recruiter. */
export function describeFailure(info: ProformaErrorInfo, doing: string): string {
	if (isTransient(info)) {
		const why =
			info.kind === 'network'
				? (info.reason ?? 'network error')
				: info.status === 429
					? 'rate limited'
					: `server error ${info.status}${info.message ? `: ${info.message}` : ''}`;
		return `Proforma could not be reached after ${info.attempts} attempt${info.attempts === 1 ? '' : 's'} (${why}) while ${doing}. Run the workflow again for this candidate later (re-running never orders twice).`;
	}
	if (info.status === 401) {
		return 'The Proforma API key was refused (401). Ask your n8n admin to check the API key in the Proforma API credential, then run again for this candidate.';
	}
	if (info.status === 422) {
		const list = info.details.length
			? formatDetails(info.details)
			: info.message || 'invalid values';
		return `Proforma refused the order: ${list}. Fix these details on the candidate profile in Lever, then move the candidate to the screening stage again.`;
	}
	if (info.status === 404 && info.details.some((d) => d.field === 'package')) {
		return `Proforma does not offer the package named by this candidate's tag (404${info.code ? ` ${info.code}` : ''}${info.message ? `: ${info.message}` : ''}). Fix the Proforma package tag on the job posting, then move the candidate to the screening stage again.`;
	}
	const code = info.code ? ` ${info.code}` : '';
	return `Proforma refused the request (${info.status}${code}) while ${doing}${info.message ? `: ${info.message}` : ''}.`;
}

/** A plausible email address: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface CandidateOverrides extends CandidateFields {
	clientReference: string | null;
}

/** The Candidate Overrides collection: each value trimmed, empty = null (derive it). */
function readOverrides(ctx: IExecuteFunctions, itemIndex: number): CandidateOverrides {
	const raw = (ctx.getNodeParameter('candidateOverrides', itemIndex, {}) ?? {}) as IDataObject;
	const value = (key: keyof CandidateOverrides): string | null => {
		const v = raw[key];
		if (v === undefined || v === null) return null;
		const text = String(v).replace(/\s+/g, ' ').trim();
		return text ? text : null;
	};
	return {
		firstName: value('firstName'),
		lastName: value('lastName'),
		email: value('email'),
		phone: value('phone'),
		location: value('location'),
		clientReference: value('clientReference'),
	};
}

function emptyCandidate(): CandidateFields {
	return { firstName: null, lastName: null, email: null, phone: null, location: null };
}

const NO_OPPORTUNITY =
	'No Lever opportunity in this item. Put a Lever "Get" (Opportunity) before this node, or turn on Fetch Opportunity in the Lever Trigger; with "Define Below", the field must hold the opportunity. Check the previous node\'s output.';

/**
 * The whole Lever -> Proforma step for one item, without throwing for
 * anything that concerns the candidate or Proforma's answer: read the
 * candidate, check what can be checked without Proforma, then order.
 */
async function orderForOpportunity(
	ctx: IExecuteFunctions,
	itemIndex: number,
	loadPackages: () => Promise<ProformaPackage[]>,
): Promise<OpportunityOrderResult> {
	const opportunity = normaliseOpportunity(readOpportunity(ctx, itemIndex));
	if (!opportunity) return withProblem(emptyResult(null), NO_OPPORTUNITY);
	const prefix = String(
		ctx.getNodeParameter('packageTagPrefix', itemIndex, 'Proforma_') || 'Proforma_',
	);
	const candidate = readCandidate(ctx, itemIndex, opportunity);
	const tag = findPackageTag(opportunity.tags, prefix);
	const result: OpportunityOrderResult = {
		...emptyResult(candidate.opportunityId),
		packageTag: tag.kind === 'one' ? tag.tag : tag.kind === 'several' ? tag.tags.join(', ') : null,
		candidate: candidate.fields,
	};
	const choice = choosePackage(tag, readDefaultPackage(ctx, itemIndex), prefix);
	const problems = [...choice.problems, ...candidate.problems];
	if (problems.length > 0 || !choice.chosen) return withProblem(result, problems.join(' '));
	const request = orderRequest(ctx, itemIndex, opportunity, candidate, choice.chosen.packageName);
	const rules: ReorderRules = {
		movedAt: typeof opportunity.lastAdvancedAt === 'number' ? opportunity.lastAdvancedAt : null,
		rescreenAfterDays: readRescreenAfterDays(ctx, itemIndex),
		now: Date.now(),
	};
	const ordering = { request, rules };
	return await orderChosenPackage(ctx, itemIndex, result, ordering, choice.chosen, loadPackages);
}

/** Re-Screen After (Days): a whole number of days, 0 (never) when empty. */
function readRescreenAfterDays(ctx: IExecuteFunctions, itemIndex: number): number {
	const days = Number(ctx.getNodeParameter('rescreenAfterDays', itemIndex, 0) ?? 0);
	if (Number.isFinite(days) && days >= 0) return Math.floor(days);
	throw new NodeOperationError(ctx.getNode(), `Re-Screen After (Days) is ${days}`, {
		itemIndex,
		description: 'Set a number of days, 0 or more (0: never re-screen a candidate).',
	});
}

function readDefaultPackage(ctx: IExecuteFunctions, itemIndex: number): string {
	return String(ctx.getNodeParameter('defaultPackage', itemIndex, '') ?? '').trim();
}

/** The package to order, where it came from, and how to fix it when Proforma does not know it. */
interface ChosenPackage {
	packageName: string;
	/** Names the source in the problem text: the tag, or the Default Package field. */
	source: string;
	fix: string;
	/** The package tag prefix, to list the packages as the tags that name them. */
	prefix: string;
}

/** A package tag wins; the Default Package stands in only when there is none. */
function choosePackage(
	tag: TagLookup,
	defaultPackage: string,
	prefix: string,
): { chosen?: ChosenPackage; problems: string[] } {
	if (tag.kind === 'one') {
		const fix = 'Fix the tag on the job posting.';
		return {
			chosen: { packageName: tag.packageName, source: `The tag ${tag.tag}`, fix, prefix },
			problems: [],
		};
	}
	if (tag.kind === 'none' && defaultPackage) {
		const source = `The Default Package "${defaultPackage}" (no package tag on this candidate)`;
		const fix = 'Correct the Default Package in the node that orders, or tag the job posting.';
		return { chosen: { packageName: defaultPackage, source, fix, prefix }, problems: [] };
	}
	return { problems: packageTagProblems(tag, prefix) };
}

/** The opportunity as configured: the input item (or its `opportunity` field), or the JSON field. */
function readOpportunity(ctx: IExecuteFunctions, itemIndex: number): unknown {
	if (ctx.getNodeParameter('opportunitySource', itemIndex, 'define') === 'define')
		return ctx.getNodeParameter('opportunity', itemIndex, null);
	const item = ctx.getInputData()[itemIndex]?.json;
	return isPlainObject(item?.opportunity) ? item.opportunity : item;
}

function emptyResult(opportunityId: string | null): OpportunityOrderResult {
	return {
		outcome: 'problem',
		problem: null,
		skipReason: null,
		retryLater: false,
		opportunityId,
		packageTag: null,
		packageCode: null,
		candidate: emptyCandidate(),
		idempotencyKey: null,
		order: null,
		replayed: false,
		rescreenOf: null,
	};
}

function withProblem(
	result: OpportunityOrderResult,
	text: string,
	retryLater = false,
): OpportunityOrderResult {
	return { ...result, outcome: 'problem', problem: text, retryLater };
}

interface CandidateReading {
	opportunityId: string;
	clientReference: string;
	fields: CandidateFields;
	/** What a recruiter must fix before Proforma can be asked (email, name). */
	problems: string[];
}

/**
 * The candidate as Proforma needs it: derived from the opportunity, each
 * value replaced by a non-empty Candidate Override. Known without asking Proforma.
 */
function readCandidate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	opportunity: IDataObject,
): CandidateReading {
	const opportunityId = String(opportunity.id).trim();
	const overrides = readOverrides(ctx, itemIndex);
	const name = splitName(opportunity.name);
	const fields: CandidateFields = {
		firstName: overrides.firstName ?? (name.ok ? name.firstName : null),
		lastName: overrides.lastName ?? (name.ok ? name.lastName : null),
		email: overrides.email ?? firstEmail(opportunity),
		phone: overrides.phone ?? firstPhone(opportunity),
		location: overrides.location ?? candidateLocation(opportunity),
	};
	const problems: string[] = [];
	if (!fields.email) {
		problems.push(
			'This candidate has no email address in Lever, and Proforma emails the candidate the link to the screening form: add an email address to the candidate profile, then move the candidate to the screening stage again.',
		);
	} else if (overrides.email !== null && !EMAIL.test(overrides.email)) {
		problems.push(
			`The Email override "${overrides.email}" (Candidate Overrides) is not an email address: correct it, or leave it empty to use the first of the opportunity's emails.`,
		);
	}
	if (!name.ok && (!fields.firstName || !fields.lastName)) problems.push(name.problem);
	return {
		opportunityId,
		clientReference: overrides.clientReference ?? opportunityId,
		fields,
		problems,
	};
}

function packageTagProblems(tag: TagLookup, prefix: string): string[] {
	if (tag.kind === 'none') {
		return [
			`No Proforma package tag on this candidate: add a tag like ${prefix}standard to the job posting (candidates inherit it), or to the candidate, then move the candidate to the screening stage again.`,
		];
	}
	if (tag.kind === 'several') {
		return [
			`This candidate has several Proforma package tags (${tag.tags.join(', ')}). Keep only the one for the package to order, then move the candidate to the screening stage again.`,
		];
	}
	return [];
}

function orderRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	opportunity: IDataObject,
	candidate: CandidateReading,
	packageCode: string,
): CreateOrderRequest {
	const callbackUrl = String(ctx.getNodeParameter('callbackUrl', itemIndex, '') ?? '').trim();
	const metadata = parseJsonParameter(
		ctx,
		ctx.getNodeParameter('metadata', itemIndex, {}),
		'Metadata',
		itemIndex,
	);
	const { firstName, lastName, email, phone, location } = candidate.fields;
	return {
		package: packageCode,
		clientReference: candidate.clientReference,
		candidate: { firstName: firstName!, lastName: lastName!, email: email!, phone, location },
		callbackUrl: callbackUrl || null,
		metadata: {
			...metadata,
			leverOpportunityId: candidate.opportunityId,
			leverPostingId: postingId(opportunity),
		},
	};
}

/**
 * The tag's package as written is a code most of the time: order with it
 * straight away (one call), and read the package list (once per execution)
 * only when Proforma does not know that code: a tag naming the package, or
 * the code in other case.
 */
async function orderChosenPackage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	result: OpportunityOrderResult,
	{ request, rules }: { request: CreateOrderRequest; rules: ReorderRules },
	chosen: ChosenPackage,
	loadPackages: () => Promise<ProformaPackage[]>,
): Promise<OpportunityOrderResult> {
	const first = await orderRounds(ctx, itemIndex, result, request, rules);
	if (!first.unknownPackage) return first.result;
	let packages: ProformaPackage[];
	try {
		packages = await loadPackages();
	} catch (error) {
		const info = proformaErrorInfo(error);
		if (!info) throw asNodeError(ctx.getNode(), error, itemIndex);
		return withProblem(
			result,
			describeFailure(info, 'loading the package list'),
			isTransient(info),
		);
	}
	const pkg = resolvePackage(request.package, packages);
	// The list has the very code Proforma just refused: report Proforma's answer.
	if (pkg && pkg.code === request.package) return first.result;
	if (pkg)
		return (await orderRounds(ctx, itemIndex, result, { ...request, package: pkg.code }, rules))
			.result;
	const available =
		packages.map((p) => `${chosen.prefix}${p.code} (${p.name})`).join(', ') || 'none';
	return withProblem(
		result,
		`${chosen.source} names no Proforma package. Available packages: ${available}. ${chosen.fix}`,
	);
}

/** An order attempt; `unknownPackage` when Proforma answered 404 for the request's package. */
interface OrderAttempt {
	result: OpportunityOrderResult;
	unknownPackage: boolean;
}

/** One POST /v1/orders to make: the request and its Idempotency-Key. */
interface OrderStep {
	request: CreateOrderRequest;
	idempotencyKey: string;
	/** The completed order this one re-screens, if it is a re-screen. */
	rescreenOf: IDataObject | null;
}

/** What the candidate's order says about ordering (again): done, skip, or the next order. */
type NextStep =
	| { kind: 'done' }
	| { kind: 'skip'; reason: string }
	| { kind: 'order'; step: OrderStep };

/** The rules for ordering again, read once per item. */
interface ReorderRules {
	/** Lever's lastAdvancedAt: when the candidate was last moved into a stage. */
	movedAt: number | null;
	/** Re-Screen After (Days); 0: a completed screening is never repeated. */
	rescreenAfterDays: number;
	now: number;
}

/**
 * Orders with the key `lever-<reference>-<package>`, so re-runs replay the
 * first order, then follows what that order says (see nextStep). Every key
 * is derived from the orders before it, so a re-run of any step replays it
 * and never orders twice.
 */
async function orderRounds(
	ctx: IExecuteFunctions,
	itemIndex: number,
	result: OpportunityOrderResult,
	request: CreateOrderRequest,
	rules: ReorderRules,
): Promise<OrderAttempt> {
	const reference = request.clientReference ?? '';
	let step: OrderStep = {
		request,
		idempotencyKey: leverIdempotencyKey(reference, request.package),
		rescreenOf: null,
	};
	for (let round = 0; round <= MAX_FOLLOW_UPS; round++) {
		const placed = {
			...result,
			packageCode: step.request.package,
			idempotencyKey: step.idempotencyKey,
			rescreenOf: step.rescreenOf,
		};
		const attempt = await placeOrder(ctx, itemIndex, placed, step.request, step.idempotencyKey);
		const order = attempt.result.order;
		if (attempt.result.outcome === 'problem' || !order) return attempt;
		const next = nextStep(order, step, reference, rules);
		if (next.kind === 'done') return answeredByAnotherCopy(attempt, Date.now()) ?? attempt;
		if (next.kind === 'skip') {
			const skipped = { ...attempt.result, outcome: 'skipped' as const, skipReason: next.reason };
			return { result: skipped, unknownPackage: false };
		}
		step = next.step;
	}
	return {
		result: withProblem(
			result,
			`Proforma answered with ${MAX_FOLLOW_UPS + 1} closed or completed orders in a row for this candidate, so nothing was ordered. Look at the candidate's orders in Proforma.`,
		),
		unknownPackage: false,
	};
}

/** A replay this young is another copy of the same delivery at work. */
const FRESH_REPLAY_MS = 30 * 1000;
/** Proforma's clock may run this far ahead of n8n's. */
const CLOCK_SKEW_MS = 5 * 1000;

/**
 * Lever sends a delivery more than once and each copy runs the workflow:
 * Proforma creates the order for one copy and replays it to the others. A
 * replay of an order created moments ago is a copy that the first one is
 * already tagging, so it is `skipped` and costs Lever nothing more. Should
 * the first copy fail to tag, the scheduled check orders (a replay by then)
 * and tags. `now` is read after Proforma answered: the other copy may have
 * created the order after this one started. A creation time more than
 * CLOCK_SKEW_MS ahead of this clock never counts as moments ago.
 */
function answeredByAnotherCopy(attempt: OrderAttempt, now: number): OrderAttempt | undefined {
	const { order, replayed } = attempt.result;
	const age = now - Date.parse(String(order?.createdAt ?? ''));
	if (!replayed || !(age >= -CLOCK_SKEW_MS && age < FRESH_REPLAY_MS)) return undefined;
	const skipReason = `Another copy of this Lever delivery placed Proforma order ${String(order?.id)} ${Math.max(0, Math.round(age / 1000))} s ago and tags the candidate; nothing more to do here. (If the candidate has no status tag in a few minutes, the scheduled check tags it.)`;
	return { result: { ...attempt.result, outcome: 'skipped', skipReason }, unknownPackage: false };
}

/** Follow-up orders (after closed orders, re-screens) per item, at most. */
const MAX_FOLLOW_UPS = 4;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * After a cancelled or expired order, Proforma takes a new order for the
 * same reference (key `<key>-after-<closed order id>`); after a completed
 * one only for a new reference, `<reference>-after-<completed order id>`
 * (Proforma's 409 keeps anyone from paying twice for one screen). Either is
 * ordered only when the candidate was moved into the stage after the order
 * ended: a check that read the candidate before an archive cancelled the
 * order must not order for an archived candidate.
 */
function nextStep(
	order: IDataObject,
	step: OrderStep,
	reference: string,
	rules: ReorderRules,
): NextStep {
	const status = String(order.status);
	const id = String(order.id);
	if (CLOSED_STATUSES.has(status)) {
		const endedAt = String(order.updatedAt ?? '');
		if (!movedAfter(rules.movedAt, endedAt))
			return { kind: 'skip', reason: `${notMovedSince(id, status, endedAt)} anew.` };
		const idempotencyKey = `${step.idempotencyKey}-after-${id}`;
		return { kind: 'order', step: { ...step, idempotencyKey } };
	}
	if (status !== 'completed') return { kind: 'done' };
	return afterCompleted(order, step, reference, rules);
}

/** A completed screening: skipped, or re-screened once Re-Screen After (Days) has passed. */
function afterCompleted(
	order: IDataObject,
	step: OrderStep,
	reference: string,
	rules: ReorderRules,
): NextStep {
	const id = String(order.id);
	const completedAt = String(order.completedAt ?? order.updatedAt ?? '');
	if (rules.rescreenAfterDays <= 0) {
		return {
			kind: 'skip',
			reason: `Already screened: Proforma order ${id} completed on ${completedAt}. To screen candidates again after some days, set Re-Screen After (Days) in this node.`,
		};
	}
	if (!movedAfter(rules.movedAt, completedAt))
		return {
			kind: 'skip',
			reason: `${notMovedSince(id, 'completed', completedAt)} for a re-screen.`,
		};
	// A completion date Proforma did not give counts as recent: never a re-screen by guess.
	const dueAt = (Date.parse(completedAt) || rules.now) + rules.rescreenAfterDays * DAY_MS;
	if (dueAt > rules.now) {
		return {
			kind: 'skip',
			reason: `Screened recently: Proforma order ${id} completed on ${completedAt || 'an unknown date'}, less than ${rules.rescreenAfterDays} days ago (Re-Screen After (Days)). Move the candidate into the screening stage again after ${new Date(dueAt).toISOString()} for a re-screen.`,
		};
	}
	const clientReference = rescreenReference(reference, id);
	const request = { ...step.request, clientReference };
	const idempotencyKey = leverIdempotencyKey(clientReference, request.package);
	return { kind: 'order', step: { request, idempotencyKey, rescreenOf: order } };
}

function notMovedSince(id: string, status: string, at: string): string {
	return `Proforma order ${id} for this candidate is ${status} (${at || 'date unknown'}) and the candidate was not moved into the stage since: nothing ordered. Move the candidate into the screening stage again to order`;
}

/**
 * Whether the candidate was moved into the stage after `at`. Without Lever's
 * lastAdvancedAt (an opportunity defined by hand) nothing says otherwise, so
 * it counts as moved.
 */
function movedAfter(movedAt: number | null, at: string): boolean {
	const time = Date.parse(at);
	if (movedAt === null || Number.isNaN(time)) return true;
	return movedAt > time;
}

/** POST /v1/orders once, with Proforma's answer mapped to an outcome. */
async function placeOrder(
	ctx: IExecuteFunctions,
	itemIndex: number,
	result: OpportunityOrderResult,
	request: CreateOrderRequest,
	idempotencyKey: string,
): Promise<OrderAttempt> {
	try {
		const created = await createOrder.call(ctx, request, idempotencyKey);
		const ordered = {
			...result,
			outcome: 'ordered' as const,
			problem: null,
			order: created.order,
			replayed: created.replayed,
		};
		return { result: ordered, unknownPackage: false };
	} catch (error) {
		const info = proformaErrorInfo(error);
		if (!info) throw asNodeError(ctx.getNode(), error, itemIndex);
		const unknownPackage =
			info.status === 404 && info.details.some((detail) => detail.field === 'package');
		const existing =
			info.status === 409 && info.orderId
				? await existingOrder(ctx, itemIndex, info.orderId, request)
				: undefined;
		if (existing) {
			return {
				result: existing.ok
					? {
							...result,
							outcome: 'alreadyOrdered',
							problem: null,
							order: existing.order,
							replayed: false,
						}
					: {
							...result,
							outcome: 'problem',
							problem:
								idempotencyConflictError(ctx, error, existing.order, request, idempotencyKey)
									.message + '.',
							order: null,
						},
				unknownPackage: false,
			};
		}
		return {
			result: {
				...result,
				outcome: 'problem',
				problem: describeFailure(info, 'ordering'),
				retryLater: isTransient(info),
				order: null,
			},
			unknownPackage,
		};
	}
}

/**
 * The order a 409 names, and whether it is this request's: the same
 * Idempotency-Key with another body also names an order, and only the order
 * for this reference and package is this candidate's.
 */
async function existingOrder(
	ctx: IExecuteFunctions,
	itemIndex: number,
	orderId: string,
	request: CreateOrderRequest,
): Promise<{ ok: boolean; order: IDataObject }> {
	let order: IDataObject;
	try {
		order = await getOrder.call(ctx, orderId);
	} catch (readError) {
		if (!proformaErrorInfo(readError)) throw asNodeError(ctx.getNode(), readError, itemIndex);
		// The order exists (Proforma said so); its details could not be read now.
		// The key is derived from this reference and package, so it is this candidate's.
		order = { id: orderId, clientReference: request.clientReference, package: request.package };
	}
	return { ok: isOrderOfRequest(order, request), order };
}

/**
 * Order: Create for Lever Opportunity. One output item per input item, each
 * with an outcome; only a bug or a missing credential throws.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ProformaExecutionState,
): Promise<IDataObject> {
	// Read at most once per execution, failures included.
	const loadPackages = async () => {
		state.packages ??= listPackages.call(this);
		return await state.packages;
	};
	return await orderForOpportunity(this, itemIndex, loadPackages);
}
