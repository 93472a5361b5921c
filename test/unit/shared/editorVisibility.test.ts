/**
 * n8n's editor leaves some parameters out of a node's panel: the node's "main
 * authentication field" (offered in the credential dialog instead) and every
 * parameter that an authentication-related field's display depends on. This
 * replays that rule (n8n 2.40.7 editor: getMainAuthField, getNodeAuthFields,
 * isAuthRelatedParameter in nodeTypesUtils) on each node of the package, so a
 * description change that would hide a parameter fails here, before the
 * real-editor check in test/e2e/editor-panels.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { LeverTrigger } from '../../../nodes/LeverTrigger/LeverTrigger.node';
import { Proforma } from '../../../nodes/Proforma/Proforma.node';
import { ProformaTrigger } from '../../../nodes/ProformaTrigger/ProformaTrigger.node';

/** Properties named in the credentials' displayOptions.show: n8n's "auth fields". */
function authFields(description: INodeTypeDescription): INodeProperties[] {
	const names = new Set(
		(description.credentials ?? []).flatMap((credential) =>
			Object.keys(credential.displayOptions?.show ?? {}),
		),
	);
	return description.properties.filter((property) => names.has(property.name));
}

function optionValues(property: INodeProperties): unknown[] {
	return (property.options ?? []).map((option) => ('value' in option ? option.value : undefined));
}

function mainAuthField(description: INodeTypeDescription): INodeProperties | undefined {
	const fields = authFields(description);
	const named = fields.find(
		(field) => field.name === 'authentication' && !optionValues(field).includes('none'),
	);
	if (named) return named;
	const shownValues: Record<string, string[]> = {};
	for (const credential of description.credentials ?? []) {
		for (const [name, values] of Object.entries(credential.displayOptions?.show ?? {})) {
			shownValues[name] = [
				...(shownValues[name] ?? []),
				...(values ?? []).map((value) => String(value)),
			];
		}
	}
	return fields.find(
		(field) =>
			(field.options?.length ?? 0) > 0 &&
			optionValues(field).every(
				(value) => typeof value !== 'string' || shownValues[field.name].includes(value),
			),
	);
}

/** The parameter names n8n's editor keeps off the panel. */
function hiddenByEditor(description: INodeTypeDescription): string[] {
	const main = mainAuthField(description);
	if (!main) return [];
	const fields = authFields(description);
	return [
		...new Set(
			description.properties
				.filter(
					(p) =>
						p.name === main.name ||
						fields.some((field) => p.name in (field.displayOptions?.show ?? {})),
				)
				.map((p) => p.name),
		),
	];
}

describe("n8n's editor shows every parameter of the package's nodes", () => {
	it('Lever Trigger: nothing is hidden (Registration, Authentication and Fetch Opportunity stay on the panel)', () => {
		expect(hiddenByEditor(new LeverTrigger().description)).toEqual([]);
	});

	it('Lever: only Authentication, which n8n offers as the credential type in the credential dialog', () => {
		expect(hiddenByEditor(new Lever().description)).toEqual(['authentication']);
	});

	it('Proforma and Proforma Trigger: nothing is hidden', () => {
		expect(hiddenByEditor(new Proforma().description)).toEqual([]);
		expect(hiddenByEditor(new ProformaTrigger().description)).toEqual([]);
	});

	it('the rule is the one that hid the trigger settings before (a check that can fail)', () => {
		const before = new LeverTrigger().description;
		const authentication = before.properties.find((p) => p.name === 'authentication')!;
		const doubled: INodeTypeDescription = {
			...before,
			properties: [
				{
					...authentication,
					options: authentication.options!.slice(0, 2),
					displayOptions: { show: { registration: ['automatic'] } },
				},
				{
					...authentication,
					options: authentication.options!.slice(0, 2),
					displayOptions: { show: { registration: ['manual'], fetchOpportunity: [true] } },
				},
				...before.properties.filter((p) => p.name !== 'authentication'),
			],
		};
		expect(hiddenByEditor(doubled).sort()).toEqual([
			'authentication',
			'fetchOpportunity',
			'registration',
		]);
	});
});
