import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * `{{ $json.a.b }}` (what n8n writes when a field is dragged onto a parameter)
 * or `{{ $('Node').params.a[0] }}` (another node's setting, as the template's
 * checks read the tag texts): a base and a path of plain property accesses.
 */
const PLAIN_READ =
	/^=\{\{\s*(\$json|\$\('([^'\\]+)'\)\.params)((?:\.[A-Za-z_$][\w$]*|\[\d+\])+)\s*\}\}$/;
const PATH_STEP = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g;

type Resolved = { ok: true; value: unknown } | { ok: false };
const NOT_PLAIN: Resolved = { ok: false };

function walk(base: unknown, path: string): unknown {
	let value = base;
	for (const [, key, index] of path.matchAll(PATH_STEP)) {
		if (value === null || value === undefined) return undefined;
		value = (value as Record<string, unknown>)[key ?? Number(index)];
	}
	return value;
}

function resolveText(ctx: IExecuteFunctions, itemIndex: number, text: string): Resolved {
	if (!text.startsWith('=')) return { ok: true, value: text };
	const read = PLAIN_READ.exec(text);
	if (read === null) return NOT_PLAIN;
	const [, base, nodeName, path] = read;
	if (base === '$json') return { ok: true, value: walk(ctx.getInputData()[itemIndex]?.json, path) };
	return { ok: true, value: walk(ctx.getWorkflowDataProxy(itemIndex).$(nodeName).params, path) };
}

function resolve(ctx: IExecuteFunctions, itemIndex: number, raw: unknown): Resolved {
	if (typeof raw === 'string') return resolveText(ctx, itemIndex, raw);
	if (raw === null || typeof raw !== 'object') return { ok: true, value: raw };
	const entries: Array<[string, unknown]> = Object.entries(raw);
	const value: Record<string, unknown> = {};
	for (const [key, entry] of entries) {
		const resolved = resolve(ctx, itemIndex, entry);
		if (!resolved.ok) return NOT_PLAIN;
		value[key] = resolved.value;
	}
	return { ok: true, value: Array.isArray(raw) ? Object.values(value) : value };
}

/**
 * A parameter's value, with plain reads (see PLAIN_READ) resolved here, to
 * exactly what n8n's evaluation returns for them. Why: n8n 2.x builds an
 * expression isolate for the first expression an execution evaluates (about
 * 40 ms of CPU), so an execution whose parameters hold only values and plain
 * reads builds none. A parameter with any other expression is left to n8n.
 */
export function readParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
	const resolved = resolve(ctx, itemIndex, raw);
	return resolved.ok ? resolved.value : ctx.getNodeParameter(name, itemIndex, fallback);
}
