import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';

import { Proforma } from '../../../nodes/Proforma/Proforma.node';
import { createLoadOptionsContext } from '../../helpers/n8nContext';
import {
	apiError,
	BASE,
	bearer,
	credentials,
	failNextRequests,
	order,
	orderOut,
	PACKAGES,
	runNode,
	keyValue,
} from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

describe('Proforma node operations', () => {
	const offline = useOfflineApi();

	describe('Package: Get Many', () => {
		it('returns one item per package', async () => {
			const scope = nock(BASE, bearer).get('/v1/packages').reply(200, { data: PACKAGES });
			const { output } = await runNode({
				parameters: { resource: 'package', operation: 'getAll' },
			});
			expect(output).toEqual(PACKAGES.map((json) => ({ json, pairedItem: { item: 0 } })));
			expect(scope.isDone()).toBe(true);
		});

		it('feeds the package picker, filtered by code or name', async () => {
			nock(BASE, bearer).get('/v1/packages').twice().reply(200, { data: PACKAGES });
			const { context } = createLoadOptionsContext({ credentials: credentials as never });
			const node = new Proforma();
			await expect(node.methods.listSearch.getPackages.call(context)).resolves.toEqual({
				results: [
					{ name: 'Standard (standard)', value: 'standard', description: 'Identity and criminal' },
					{ name: 'Executive Plus (exec_plus)', value: 'exec_plus', description: 'Everything' },
				],
			});
			await expect(node.methods.listSearch.getPackages.call(context, 'exec')).resolves.toEqual({
				results: [
					{ name: 'Executive Plus (exec_plus)', value: 'exec_plus', description: 'Everything' },
				],
			});
		});
	});

	describe('Order: Create', () => {
		const parameters = {
			resource: 'order',
			operation: 'create',
			package: { __rl: true, mode: 'list', value: 'standard' },
			firstName: ' Ada ',
			lastName: 'Lovelace',
			email: 'ada@example.com',
			clientReference: 'opp-1',
			additionalFields: {
				phone: '+1 555 0100',
				location: 'Toronto, ON',
				callbackUrl: 'https://n8n.example.com/webhook/x/webhook',
				metadata: '{"costCenter":"R&D"}',
			},
		};
		const body = {
			package: 'standard',
			clientReference: 'opp-1',
			candidate: {
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada@example.com',
				phone: '+1 555 0100',
				location: 'Toronto, ON',
			},
			callbackUrl: 'https://n8n.example.com/webhook/x/webhook',
			metadata: { costCenter: 'R&D' },
		};

		it('posts the order with the derived Idempotency-Key and returns it', async () => {
			const scope = nock(BASE, {
				reqheaders: {
					authorization: 'Bearer test-api-key',
					'idempotency-key': keyValue('lever-opp-1-standard'),
				},
			})
				.post('/v1/orders', body)
				.reply(201, order());
			const { output } = await runNode({ parameters });
			expect(output).toEqual([
				{ json: { ...orderOut(), replayed: false, existingOrder: false }, pairedItem: { item: 0 } },
			]);
			expect(scope.isDone()).toBe(true);
		});

		it('uses a given Idempotency-Key and marks a 200 replay', async () => {
			const scope = nock(BASE, { reqheaders: { 'idempotency-key': keyValue('my-key') } })
				.post('/v1/orders', body)
				.reply(200, order());
			const { output } = await runNode({
				parameters: {
					...parameters,
					additionalFields: { ...parameters.additionalFields, idempotencyKey: keyValue('my-key') },
				},
			});
			expect(output[0].json).toEqual({ ...orderOut(), replayed: true, existingOrder: false });
			expect(scope.isDone()).toBe(true);
		});

		it('returns the existing order on a 409 for an open order of the same reference and package', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders')
				.reply(409, apiError('conflict', 'An order is already open', { orderId: 'ord_7' }))
				.get('/v1/orders/ord_7')
				.reply(200, order({ id: 'ord_7', status: 'in_progress' }));
			const { output } = await runNode({ parameters });
			expect(output).toEqual([
				{
					json: {
						...orderOut({ id: 'ord_7', status: 'in_progress' }),
						replayed: false,
						existingOrder: true,
					},
					pairedItem: { item: 0 },
				},
			]);
			expect(scope.isDone()).toBe(true);
		});

		it("fails on a 409 naming another candidate's order (same key, different body), saying to use a distinct key", async () => {
			const conflict = apiError(
				'conflict',
				'Idempotency-Key lever-opp-1-standard was already used with a different request body.',
				{ orderId: 'ord_other' },
			);
			const other = order({ id: 'ord_other', clientReference: 'opp-2' });
			const scope = nock(BASE, bearer)
				.post('/v1/orders', body)
				.reply(409, conflict)
				.get('/v1/orders/ord_other')
				.reply(200, other);
			const expected =
				'Proforma POST /v1/orders failed with 409 conflict: Idempotency-Key lever-opp-1-standard was already used with a different request body. ' +
				'The Idempotency-Key "lever-opp-1-standard" belongs to order ord_other (clientReference opp-2, package standard), ' +
				'not to this request (clientReference opp-1, package standard): use a distinct Idempotency-Key per candidate';
			const failure = await runNode({ parameters }).then(
				() => undefined,
				(error: unknown) => error as workflow.NodeApiError,
			);
			expect(failure).toBeInstanceOf(workflow.NodeApiError);
			expect(failure?.message).toBe(expected);
			expect(failure?.httpCode).toBe('409');
			expect(failure?.description).toMatch(
				/^Use a distinct Idempotency-Key per candidate and package/,
			);
			expect(scope.isDone()).toBe(true);

			// Continue On Fail: an error item, never the other candidate's order.
			nock(BASE, bearer)
				.post('/v1/orders', body)
				.reply(409, conflict)
				.get('/v1/orders/ord_other')
				.reply(200, other);
			const { output } = await runNode({ parameters, continueOnFail: true });
			expect(output).toEqual([{ json: { error: expected }, pairedItem: { item: 0 } }]);
		});

		it('fails on a 409 naming an order of the same reference but another package', async () => {
			nock(BASE, bearer)
				.post('/v1/orders')
				.reply(409, apiError('conflict', 'Key reused', { orderId: 'ord_pro' }))
				.get('/v1/orders/ord_pro')
				.reply(200, order({ id: 'ord_pro', package: 'professional' }));
			await expect(runNode({ parameters })).rejects.toThrow(
				/belongs to order ord_pro \(clientReference opp-1, package professional\), not to this request \(clientReference opp-1, package standard\)/,
			);
		});

		it('fails on a 409 with an order when the request has no client reference (nothing to match)', async () => {
			nock(BASE, bearer)
				.post('/v1/orders')
				.reply(409, apiError('conflict', 'Key reused', { orderId: 'ord_1' }))
				.get('/v1/orders/ord_1')
				.reply(200, order());
			await expect(
				runNode({
					parameters: {
						...parameters,
						clientReference: '',
						additionalFields: { idempotencyKey: keyValue('shared-key') },
					},
				}),
			).rejects.toThrow(
				'The Idempotency-Key "shared-key" belongs to order ord_1 (clientReference opp-1, package standard), not to this request (clientReference (none), package standard)',
			);
		});

		it('fails on a 409 without an order id', async () => {
			nock(BASE).post('/v1/orders').reply(409, apiError('conflict', 'Something conflicts'));
			await expect(runNode({ parameters })).rejects.toThrow(
				'Proforma POST /v1/orders failed with 409 conflict: Something conflicts',
			);
		});

		it('fails with every 422 detail, or returns an error item with Continue On Fail', async () => {
			const reply = apiError('validation_failed', 'Invalid order', {
				details: [{ field: 'candidate.email', issue: 'undeliverable' }],
			});
			nock(BASE).post('/v1/orders').twice().reply(422, reply);
			await expect(runNode({ parameters })).rejects.toThrow(
				'Proforma POST /v1/orders failed with 422 validation_failed: Invalid order (candidate.email: undeliverable)',
			);
			const { output } = await runNode({ parameters, continueOnFail: true });
			expect(output).toEqual([
				{
					json: {
						error:
							'Proforma POST /v1/orders failed with 422 validation_failed: Invalid order (candidate.email: undeliverable)',
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('rejects metadata that is not a JSON object, before calling Proforma', async () => {
			const { harness } = await runNode({
				parameters: { ...parameters, additionalFields: { metadata: '[1,2]' } },
				continueOnFail: true,
			}).then((r) => {
				expect(r.output[0].json).toEqual({
					error: 'The parameter "Metadata" must be a JSON object',
				});
				return r;
			});
			expect(harness.requests).toHaveLength(0);
		});

		it('omits optional fields that were not given and uses a random key without a reference', async () => {
			let key = '';
			const scope = nock(BASE)
				.post('/v1/orders', {
					package: 'standard',
					candidate: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
				})
				.reply(function () {
					key = String(this.req.headers['idempotency-key']);
					return [201, order()];
				});
			await runNode({ parameters: { ...parameters, clientReference: '', additionalFields: {} } });
			expect(scope.isDone()).toBe(true);
			expect(key).toMatch(/^n8n-[0-9a-f-]{36}$/);
		});
	});

	describe('Order: Get, Get Many, Cancel, Resend Invitation', () => {
		it('gets an order per item, paired with its item', async () => {
			const scope = nock(BASE, bearer)
				.get('/v1/orders/ord_1')
				.reply(200, order())
				.get('/v1/orders/ord_2')
				.reply(200, order({ id: 'ord_2' }));
			const { output } = await runNode({
				parameters: (i) => ({ resource: 'order', operation: 'get', orderId: `ord_${i + 1}` }),
				items: [{ json: {} }, { json: {} }],
			});
			expect(output).toEqual([
				{ json: orderOut(), pairedItem: { item: 0 } },
				{ json: orderOut({ id: 'ord_2' }), pairedItem: { item: 1 } },
			]);
			expect(scope.isDone()).toBe(true);
		});

		it.each([
			['get', ''],
			['cancel', '   '],
			['resendInvitation', 'ord_1/cancel'],
		])('%s refuses order ID %j before any request', async (operation, orderId) => {
			const { harness } = await runNode({
				parameters: { resource: 'order', operation, orderId },
				continueOnFail: true,
			});
			expect(harness.requests).toHaveLength(0);
			await expect(
				runNode({ parameters: { resource: 'order', operation, orderId } }),
			).rejects.toThrow(
				orderId.trim() === '' ? 'Order ID is empty' : `"${orderId}" is not a Proforma order ID`,
			);
		});

		it.each(['getLink', 'downloadPdf'])(
			'report %s refuses an empty order ID before any request',
			async (operation) => {
				const { output, harness } = await runNode({
					parameters: { resource: 'report', operation, orderId: '' },
					continueOnFail: true,
				});
				expect(harness.requests).toHaveLength(0);
				expect(output).toEqual([{ json: { error: 'Order ID is empty' }, pairedItem: { item: 0 } }]);
			},
		);

		it('fails with a 404 naming the path, or returns an error item with Continue On Fail', async () => {
			nock(BASE).get('/v1/orders/nope').twice().reply(404, apiError('not_found', 'No such order'));
			const parameters = { resource: 'order', operation: 'get', orderId: 'nope' };
			await expect(runNode({ parameters })).rejects.toThrow(
				'Proforma GET /v1/orders/nope failed with 404 not_found: No such order',
			);
			const { output } = await runNode({ parameters, continueOnFail: true });
			expect(output[0]).toEqual({
				json: { error: 'Proforma GET /v1/orders/nope failed with 404 not_found: No such order' },
				pairedItem: { item: 0 },
			});
		});

		it("reads a picked Updated Since (no zone) in the workflow's time zone", async () => {
			const scope = nock(BASE, bearer)
				.get('/v1/orders')
				.query({ updatedSince: '2025-01-02T02:04:05.000Z', limit: '100' })
				.reply(200, { data: [order({ id: 'a' })], nextCursor: null });
			const { output } = await runNode({
				parameters: {
					resource: 'order',
					operation: 'getAll',
					returnAll: true,
					filters: { updatedSince: '2025-01-02T03:04:05' },
				},
				timezone: 'Europe/Paris',
			});
			expect(scope.isDone()).toBe(true);
			expect(output.map((o) => o.json.id)).toEqual(['a']);
		});

		it('gets many orders with filters, following every page when Return All', async () => {
			const scope = nock(BASE, bearer)
				.get('/v1/orders')
				.query({
					clientReference: 'opp-1',
					status: 'completed',
					updatedSince: '2025-01-02T03:04:05.000Z',
					limit: '100',
				})
				.reply(200, { data: [order({ id: 'a' })], nextCursor: 'next' })
				.get('/v1/orders')
				.query({
					clientReference: 'opp-1',
					status: 'completed',
					updatedSince: '2025-01-02T03:04:05.000Z',
					limit: '100',
					cursor: 'next',
				})
				.reply(200, { data: [order({ id: 'b' })], nextCursor: null });
			const { output } = await runNode({
				parameters: {
					resource: 'order',
					operation: 'getAll',
					returnAll: true,
					filters: {
						clientReference: 'opp-1',
						status: 'completed',
						updatedSince: '2025-01-02T03:04:05Z',
					},
				},
			});
			expect(output.map((o) => o.json.id)).toEqual(['a', 'b']);
			expect(output.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('adds the orders of re-screens, generation by generation, with Include Re-Screens', async () => {
			const list = (clientReference: string, orders: object[]) =>
				nock(BASE, bearer)
					.get('/v1/orders')
					.query({ clientReference, limit: '100' })
					.reply(200, { data: orders, nextCursor: null });
			const scopes = [
				list('opp-1', [
					order({ id: 'first', status: 'completed' }),
					order({ id: 'old', status: 'cancelled' }),
				]),
				list('opp-1-after-first', [
					order({ id: 'second', clientReference: 'opp-1-after-first', status: 'completed' }),
				]),
				list('opp-1-after-second', [
					order({ id: 'third', clientReference: 'opp-1-after-second', status: 'in_progress' }),
				]),
			];
			const { output } = await runNode({
				parameters: {
					resource: 'order',
					operation: 'getAll',
					returnAll: true,
					filters: { clientReference: 'opp-1', includeRescreens: true },
				},
			});
			expect(output.map((o) => o.json.id)).toEqual(['first', 'old', 'second', 'third']);
			for (const scope of scopes) expect(scope.isDone()).toBe(true);
		});

		it('applies Status itself when following re-screens, and needs a Client Reference', async () => {
			nock(BASE, bearer)
				.get('/v1/orders')
				.query({ clientReference: 'opp-1', limit: '100' })
				.reply(200, { data: [order({ id: 'first', status: 'completed' })], nextCursor: null })
				.get('/v1/orders')
				.query({ clientReference: 'opp-1-after-first', limit: '100' })
				.reply(200, { data: [order({ id: 'second', status: 'invited' })], nextCursor: null });
			const { output } = await runNode({
				parameters: {
					resource: 'order',
					operation: 'getAll',
					returnAll: true,
					filters: { clientReference: 'opp-1', includeRescreens: true, status: 'invited' },
				},
			});
			expect(output.map((o) => o.json.id)).toEqual(['second']);
			await expect(
				runNode({
					parameters: {
						resource: 'order',
						operation: 'getAll',
						returnAll: true,
						filters: { includeRescreens: true },
					},
				}),
			).rejects.toThrow('Include Re-Screens needs a Client Reference');
		});

		it('gets many orders up to the limit', async () => {
			const scope = nock(BASE, bearer)
				.get('/v1/orders')
				.query({ limit: '2' })
				.reply(200, { data: [order({ id: 'a' }), order({ id: 'b' })], nextCursor: 'more' });
			const { output } = await runNode({
				parameters: {
					resource: 'order',
					operation: 'getAll',
					returnAll: false,
					limit: 2,
					filters: {},
				},
			});
			expect(output.map((o) => o.json.id)).toEqual(['a', 'b']);
			expect(scope.isDone()).toBe(true);
		});

		it('cancels an order', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders/ord_1/cancel')
				.reply(200, order({ status: 'cancelled' }));
			const { output } = await runNode({
				parameters: { resource: 'order', operation: 'cancel', orderId: 'ord_1' },
			});
			expect(output).toEqual([
				{ json: orderOut({ status: 'cancelled' }), pairedItem: { item: 0 } },
			]);
			expect(scope.isDone()).toBe(true);
		});

		it('retries a cancel after a reset and treats the 409 of an already cancelled order as done', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders/ord_1/cancel')
				.reply(409, apiError('conflict', 'Order is cancelled'))
				.get('/v1/orders/ord_1')
				.reply(200, order({ status: 'cancelled' }));
			let failed: unknown[] = [];
			const { output } = await runNode({
				parameters: { resource: 'order', operation: 'cancel', orderId: 'ord_1' },
				beforeRun: (harness) => {
					failed = failNextRequests(harness, ['ECONNRESET']);
				},
			});
			expect(failed).toHaveLength(1);
			expect(output[0].json).toEqual(orderOut({ status: 'cancelled' }));
			expect(scope.isDone()).toBe(true);
		});

		it("fails to cancel a completed order with Proforma's message", async () => {
			nock(BASE)
				.post('/v1/orders/ord_1/cancel')
				.reply(409, apiError('conflict', 'Order is completed'))
				.get('/v1/orders/ord_1')
				.reply(200, order({ status: 'completed' }));
			await expect(
				runNode({ parameters: { resource: 'order', operation: 'cancel', orderId: 'ord_1' } }),
			).rejects.toThrow(
				'Proforma POST /v1/orders/ord_1/cancel failed with 409 conflict: Order is completed',
			);
		});

		it('fails to resend when the order is neither invited nor expired (409), naming the order and the reason', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders/ord_1/invitation/resend')
				.reply(
					409,
					apiError(
						'conflict',
						'Order ord_1 is in_progress: only an invited or expired order can be re-invited.',
						{ orderId: 'ord_1' },
					),
				);
			const failure = await runNode({
				parameters: { resource: 'order', operation: 'resendInvitation', orderId: 'ord_1' },
			}).then(
				() => undefined,
				(error: unknown) => error as workflow.NodeApiError,
			);
			expect(failure).toBeInstanceOf(workflow.NodeApiError);
			expect(failure?.message).toBe(
				'Proforma POST /v1/orders/ord_1/invitation/resend failed with 409 conflict: Order ord_1 is in_progress: only an invited or expired order can be re-invited.',
			);
			expect(failure?.description).toMatch(/conflicts with the order as it is now/);
			// A 409 is an answer, not a transient failure: exactly one request.
			expect(scope.isDone()).toBe(true);
			expect(offline.sleep).not.toHaveBeenCalled();
		});

		it('resends the invitation', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders/ord_1/invitation/resend')
				.reply(200, order());
			const { output } = await runNode({
				parameters: { resource: 'order', operation: 'resendInvitation', orderId: 'ord_1' },
			});
			expect(output).toEqual([{ json: orderOut(), pairedItem: { item: 0 } }]);
			expect(scope.isDone()).toBe(true);
		});
	});

	describe('Report', () => {
		const link = {
			orderId: 'ord_1',
			status: 'completed',
			result: 'clear',
			url: 'https://portal.proforma.test/reports/ord_1',
			completedAt: '2025-01-03T00:00:00Z',
		};

		it('gets the report link', async () => {
			const scope = nock(BASE, bearer).get('/v1/orders/ord_1/report').reply(200, link);
			const { output } = await runNode({
				parameters: { resource: 'report', operation: 'getLink', orderId: 'ord_1' },
			});
			expect(output).toEqual([{ json: link, pairedItem: { item: 0 } }]);
			expect(scope.isDone()).toBe(true);
		});

		it('explains report_not_ready, or returns an error item with Continue On Fail', async () => {
			nock(BASE)
				.get('/v1/orders/ord_1/report')
				.twice()
				.reply(409, apiError('report_not_ready', 'The order is in_progress'));
			const parameters = { resource: 'report', operation: 'getLink', orderId: 'ord_1' };
			const error = await runNode({ parameters }).catch((e: workflow.NodeApiError) => e);
			expect((error as Error).message).toBe(
				'Proforma GET /v1/orders/ord_1/report failed with 409 report_not_ready: The order is in_progress',
			);
			expect((error as workflow.NodeApiError).description).toContain('has not completed yet');
			const { output } = await runNode({ parameters, continueOnFail: true });
			expect(output).toEqual([
				{
					json: {
						error:
							'Proforma GET /v1/orders/ord_1/report failed with 409 report_not_ready: The order is in_progress',
					},
					pairedItem: { item: 0 },
				},
			]);
			expect(offline.sleep).not.toHaveBeenCalled();
		});

		it('downloads the PDF as binary data', async () => {
			const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\nbinary\x00\x01\x02', 'latin1');
			const scope = nock(BASE, {
				reqheaders: { authorization: 'Bearer test-api-key', accept: 'application/pdf' },
			})
				.get('/v1/orders/ord_1/report.pdf')
				.reply(200, pdf, { 'Content-Type': 'application/pdf' });
			const { output } = await runNode({
				parameters: {
					resource: 'report',
					operation: 'downloadPdf',
					orderId: 'ord_1',
					binaryPropertyName: 'report',
				},
			});
			expect(output).toHaveLength(1);
			expect(output[0].json).toEqual({
				orderId: 'ord_1',
				fileName: 'proforma-report-ord_1.pdf',
				mimeType: 'application/pdf',
				fileSize: pdf.length,
			});
			expect(output[0].pairedItem).toEqual({ item: 0 });
			const binary = output[0].binary!.report;
			expect(binary.fileName).toBe('proforma-report-ord_1.pdf');
			expect(binary.mimeType).toBe('application/pdf');
			expect(Buffer.from(binary.data, 'base64').equals(pdf)).toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('reads the JSON error of a PDF request that is not ready', async () => {
			nock(BASE)
				.get('/v1/orders/ord_1/report.pdf')
				.reply(409, apiError('report_not_ready', 'Not completed'));
			await expect(
				runNode({
					parameters: {
						resource: 'report',
						operation: 'downloadPdf',
						orderId: 'ord_1',
						binaryPropertyName: 'data',
					},
				}),
			).rejects.toThrow(
				'Proforma GET /v1/orders/ord_1/report.pdf failed with 409 report_not_ready: Not completed',
			);
		});
	});

	it('throws when the credential is missing', async () => {
		await expect(
			runNode({ parameters: { resource: 'package', operation: 'getAll' }, credentials: {} }),
		).rejects.toThrow('Node does not have credentials of type "proformaApi" set');
	});
});
