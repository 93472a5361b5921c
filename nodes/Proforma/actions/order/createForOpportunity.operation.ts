import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	candidateLocation,
	findPackageTag,
	firstEmail,
	firstPhone,
	leverIdempotencyKey,
	normaliseOpportunity,
	postingId,
	resolvePackage,
	splitName,
	type CandidateFields,
} from '../../shared/opportunity';
import {
	createOrder,
	formatDetails,
	getOrder,
	listPackages,
	proformaErrorInfo,
	type CreateOrderRequest,
	type ProformaErrorInfo,
	type ProformaPackage,
} from '../../shared/transport';
import { asNodeError, forEachItem, parseJsonParameter } from '../../shared/utils';

const properties: INodeProperties[] = [
	{
		displayName:
			'Orders the background screen named by the candidate\'s "Proforma_&lt;package&gt;" tag (inherited from the job posting). Every candidate gets an outcome: ordered, alreadyOrdered, or problem with plain words saying what to fix, so the next nodes can tag the candidate in Lever.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Lever Opportunity',
		name: 'opportunity',
		type: 'json',
		default: '={{ $json.opportunity }}',
		required: true,
		description:
			'The Lever opportunity as the Lever Trigger outputs it (with applications and contact expanded): name, emails, phones, location, tags, applications',
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
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/.../webhook',
		description:
			"Where Proforma sends the order's status events: the production URL of the Proforma Trigger. Leave empty to use the callback URL set in your Proforma account.",
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description:
			'Extra JSON stored on the order. leverOpportunityId and leverPostingId are always added.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['createForOpportunity'] } },
	properties,
);

export type Outcome = 'ordered' | 'alreadyOrdered' | 'problem';

export interface OpportunityOrderResult extends IDataObject {
	outcome: Outcome;
	problem: string | null;
	opportunityId: string | null;
	packageTag: string | null;
	packageCode: string | null;
	candidate: CandidateFields;
	idempotencyKey: string | null;
	order: IDataObject | null;
	replayed: boolean;
}

/** Plain words for a Proforma failure, for a recruiter. */
export function describeFailure(info: ProformaErrorInfo, doing: string): string {
	if (info.kind === 'network' || info.status === 429 || (info.status ?? 0) >= 500) {
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
	const code = info.code ? ` ${info.code}` : '';
	return `Proforma refused the request (${info.status}${code}) while ${doing}${info.message ? `: ${info.message}` : ''}.`;
}

function emptyCandidate(): CandidateFields {
	return { firstName: null, lastName: null, email: null, phone: null, location: null };
}

/**
 * The whole Lever -> Proforma step for one item, without throwing for
 * anything that concerns the candidate or Proforma's answer. `packages` is
 * loaded at most once per execution.
 */
async function orderForOpportunity(
	ctx: IExecuteFunctions,
	itemIndex: number,
	loadPackages: () => Promise<ProformaPackage[]>,
): Promise<OpportunityOrderResult> {
	const result: OpportunityOrderResult = {
		outcome: 'problem',
		problem: null,
		opportunityId: null,
		packageTag: null,
		packageCode: null,
		candidate: emptyCandidate(),
		idempotencyKey: null,
		order: null,
		replayed: false,
	};
	const problem = (text: string): OpportunityOrderResult => ({
		...result,
		outcome: 'problem',
		problem: text,
	});

	const opportunity = normaliseOpportunity(ctx.getNodeParameter('opportunity', itemIndex, null));
	if (!opportunity) {
		return problem(
			'No Lever opportunity in this item. The "Lever Opportunity" field must hold the opportunity from the Lever Trigger (with applications and contact expanded); check the previous node\'s output.',
		);
	}
	const opportunityId = String(opportunity.id).trim();
	result.opportunityId = opportunityId;

	// Candidate data first: it is known without asking Proforma.
	const name = splitName(opportunity.name);
	result.candidate = {
		firstName: name.ok ? name.firstName : null,
		lastName: name.ok ? name.lastName : null,
		email: firstEmail(opportunity),
		phone: firstPhone(opportunity),
		location: candidateLocation(opportunity),
	};

	const prefix = String(
		ctx.getNodeParameter('packageTagPrefix', itemIndex, 'Proforma_') || 'Proforma_',
	);
	const problems: string[] = [];
	const tag = findPackageTag(opportunity.tags, prefix);
	let pkg: ProformaPackage | undefined;
	if (tag.kind === 'none') {
		problems.push(
			`No Proforma package tag on this candidate: add a tag like ${prefix}standard to the job posting (candidates inherit it), or to the candidate, then move the candidate to the screening stage again.`,
		);
	} else if (tag.kind === 'several') {
		result.packageTag = tag.tags.join(', ');
		problems.push(
			`This candidate has several Proforma package tags (${tag.tags.join(', ')}). Keep only the one for the package to order, then move the candidate to the screening stage again.`,
		);
	} else {
		result.packageTag = tag.tag;
		let packages: ProformaPackage[];
		try {
			packages = await loadPackages();
		} catch (error) {
			const info = proformaErrorInfo(error);
			if (!info) throw asNodeError(ctx, error, itemIndex);
			return problem(describeFailure(info, 'loading the package list'));
		}
		pkg = resolvePackage(tag.packageName, packages);
		if (!pkg) {
			const available = packages.map((p) => `${prefix}${p.code} (${p.name})`).join(', ') || 'none';
			problems.push(
				`The tag ${tag.tag} names no Proforma package. Available packages: ${available}. Fix the tag on the job posting.`,
			);
		} else {
			result.packageCode = pkg.code;
		}
	}
	if (!result.candidate.email) {
		problems.push(
			'This candidate has no email address in Lever, and Proforma emails the candidate the link to the screening form: add an email address to the candidate profile, then move the candidate to the screening stage again.',
		);
	}
	if (!name.ok) problems.push(name.problem);
	if (problems.length || !pkg) return problem(problems.join(' '));

	const baseKey = leverIdempotencyKey(opportunityId, pkg.code);
	const callbackUrl = String(ctx.getNodeParameter('callbackUrl', itemIndex, '') ?? '').trim();
	const metadata = {
		...parseJsonParameter(
			ctx,
			ctx.getNodeParameter('metadata', itemIndex, {}),
			'Metadata',
			itemIndex,
		),
		leverOpportunityId: opportunityId,
		leverPostingId: postingId(opportunity),
	};
	const { firstName, lastName, email, phone, location } = result.candidate;
	const request = {
		package: pkg.code,
		clientReference: opportunityId,
		candidate: { firstName: firstName!, lastName: lastName!, email: email!, phone, location },
		callbackUrl: callbackUrl || null,
		metadata,
	};

	// The key `lever-<opportunity>-<package>` makes re-runs replay the first
	// order. When that order is closed (cancelled or expired) the candidate is
	// not being screened, and Proforma accepts a new order for the reference:
	// the follow-up key `<key>-after-<closed order id>` is just as
	// deterministic, so a re-run still never orders twice.
	let idempotencyKey = baseKey;
	let outcome: OpportunityOrderResult = result;
	for (let round = 0; round < MAX_REORDERS + 1; round++) {
		outcome = await placeOrder(
			ctx,
			itemIndex,
			{ ...result, idempotencyKey },
			request,
			idempotencyKey,
		);
		const order = outcome.order;
		const closed =
			order && typeof order.id === 'string' && CLOSED_STATUSES.has(String(order.status));
		if (outcome.outcome === 'problem' || !closed) return outcome;
		idempotencyKey = `${baseKey}-after-${String(order.id)}`;
	}
	return outcome;
}

/** Statuses after which Proforma accepts a new order for the same reference and package. */
const CLOSED_STATUSES = new Set(['cancelled', 'expired']);

/** Re-orders after closed orders, at most this many per item. */
const MAX_REORDERS = 2;

/** POST /v1/orders once, with Proforma's answer mapped to an outcome. */
async function placeOrder(
	ctx: IExecuteFunctions,
	itemIndex: number,
	result: OpportunityOrderResult,
	request: CreateOrderRequest,
	idempotencyKey: string,
): Promise<OpportunityOrderResult> {
	try {
		const created = await createOrder.call(ctx, request, idempotencyKey);
		return {
			...result,
			outcome: 'ordered',
			problem: null,
			order: created.order,
			replayed: created.replayed,
		};
	} catch (error) {
		const info = proformaErrorInfo(error);
		if (!info) throw asNodeError(ctx, error, itemIndex);
		if (info.status === 409 && info.orderId) {
			let order: IDataObject;
			try {
				order = await getOrder.call(ctx, info.orderId);
			} catch (readError) {
				if (!proformaErrorInfo(readError)) throw asNodeError(ctx, readError, itemIndex);
				// The order exists (Proforma said so); its details could not be read now.
				order = { id: info.orderId };
			}
			return { ...result, outcome: 'alreadyOrdered', problem: null, order, replayed: false };
		}
		return {
			...result,
			outcome: 'problem',
			problem: describeFailure(info, 'ordering'),
			order: null,
		};
	}
}

/**
 * Order: Create for Lever Opportunity. One output item per input item, each
 * with an outcome; only a bug or a missing credential throws.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// Loaded once per execution (never module-level: queue mode), failures included.
	let packages: Promise<ProformaPackage[]> | undefined;
	const loadPackages = async () => {
		packages ??= listPackages.call(this);
		return await packages;
	};
	return await forEachItem(
		this,
		items,
		async (i) => await orderForOpportunity(this, i, loadPackages),
	);
}
