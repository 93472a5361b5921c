'use strict';
/**
 * A real browser on the e2e n8n's editor, for test/e2e/editor.test.ts (the .ts tests
 * may not touch process, fs or timers, so everything that needs them lives here).
 *
 *   const editor = await launchEditor(e2e.n8n);     // Chromium, logged in as the owner
 *   await editor.openWorkflow(workflowId, 27);      // waits for the 27 canvas nodes
 *   const nodes = await editor.canvasNodes();       // what the canvas shows, per node
 *   await editor.zoomToFit();
 *   await editor.screenshot('template');            // test-results/template.png (+ docs/images/ with UPDATE_SCREENSHOTS=1)
 *   const panel = await editor.openNode('Order screening');
 *   await editor.closeNode();
 *   await editor.close();
 *
 * Browser: Debian's Chromium (`apt-get install chromium`) driven by playwright-core,
 * which downloads no browser. CHROMIUM_PATH overrides /usr/bin/chromium. The machine
 * is offline: the flags below stop Chromium from trying to reach Google's services.
 *
 * How n8n 2.40.7 shows a node whose type is not installed (checked against a workflow
 * with a bogus type): the canvas node carries a status icon
 * `[data-test-id="node-not-installed"]`, and its icon is the placeholder
 * `[class*="nodeIconPlaceholder"]` ("?" or the name's first letter) instead of an
 * <img>/<svg>; its parameter panel says "Install this node to use it".
 *
 * Env: UPDATE_SCREENSHOTS=1 also writes the screenshots to docs/images/.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RESULTS_DIR = path.join(ROOT, 'test-results');
const DOCS_IMAGES_DIR = path.join(ROOT, 'docs', 'images');
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Path of the Chromium to drive; throws how to install it when it is missing. */
function chromiumPath() {
	const executable = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
	if (!fs.existsSync(executable)) {
		throw new Error(
			`Chromium is not installed (${executable} does not exist). The editor test drives Debian's Chromium ` +
				'through playwright-core, which downloads no browser. Install it with `sudo apt-get install -y chromium` ' +
				'(CI\'s .ci/run does), or point CHROMIUM_PATH at another Chromium/Chrome binary.',
		);
	}
	return executable;
}

/**
 * Writes a screenshot to test-results/<name>.png, and (forDocs) docs/images/<name>.png
 * with UPDATE_SCREENSHOTS=1. Returns the paths written, relative to the project.
 */
function saveScreenshotFiles(name, buffer, { forDocs = true } = {}) {
	const written = [];
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const result = path.join(RESULTS_DIR, `${name}.png`);
	fs.writeFileSync(result, buffer);
	written.push(path.relative(ROOT, result));
	if (forDocs && process.env.UPDATE_SCREENSHOTS === '1') {
		fs.mkdirSync(DOCS_IMAGES_DIR, { recursive: true });
		const doc = path.join(DOCS_IMAGES_DIR, `${name}.png`);
		fs.writeFileSync(doc, buffer);
		written.push(path.relative(ROOT, doc));
	}
	return written;
}

// Runs in the page: one entry per canvas element (vue-flow node), what it shows.
function readCanvasNodes(elements) {
	return elements.map((el) => {
		const node = el.querySelector('[data-test-id="canvas-node"]');
		const sticky = el.querySelector('[data-test-id="sticky"]');
		const icon = el.querySelector('.n8n-node-icon');
		const img = icon ? icon.querySelector('img') : null;
		const label = el.querySelector('[class*="_description_"] [class*="_label_"]');
		return {
			id: el.getAttribute('data-id'),
			kind: sticky ? 'sticky' : node ? 'node' : 'other',
			name: node ? node.getAttribute('data-node-name') : null,
			type: node ? node.getAttribute('data-node-type') : null,
			label: label ? label.textContent.trim() : null,
			text: sticky ? sticky.innerText : null,
			notInstalledMark: Boolean(el.querySelector('[data-test-id="node-not-installed"]')),
			placeholderIcon: Boolean(el.querySelector('[class*="nodeIconPlaceholder"]')),
			iconKind: img ? 'img' : icon && icon.querySelector('svg') ? 'svg' : icon ? 'other' : null,
			iconSrc: img ? img.getAttribute('src') : null,
			iconLoaded: img ? img.complete && img.naturalWidth > 0 : null,
		};
	});
}

/**
 * Starts Chromium with a fresh profile and logs into n8n as the owner (POST /rest/login
 * through the browser context, so the session cookie lands in the browser).
 * options: { viewport: {width, height} (default 1600x900), deviceScaleFactor (default 1),
 *   timeoutMs (default per-step wait, 30 s) }.
 */
async function launchEditor(n8n, options = {}) {
	const executablePath = chromiumPath();
	const { chromium } = require('playwright-core');
	const viewport = options.viewport || { width: 1600, height: 900 };
	const timeoutMs = options.timeoutMs || 30000;
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport,
			deviceScaleFactor: options.deviceScaleFactor || 1,
			timeout: 60000,
		});
	} catch (error) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw new Error(`Chromium (${executablePath}) did not start: ${error.message}`);
	}
	context.setDefaultTimeout(timeoutMs);
	const page = context.pages()[0] || (await context.newPage());
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));

	const login = await context.request.post(`${n8n.baseUrl}/rest/login`, {
		data: { emailOrLdapLoginId: n8n.owner.email, password: n8n.owner.password },
		failOnStatusCode: false,
	});
	if (login.status() !== 200) {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw new Error(`Logging into n8n as ${n8n.owner.email} failed: ${login.status()} ${(await login.text()).slice(0, 300)}`);
	}

	const canvas = page.locator('[data-test-id="canvas"]');
	const ndv = page.locator('[data-test-id="ndv"]');

	/** Opens /workflow/<id> and waits until the canvas shows `expectedCount` nodes (stickies included). */
	async function openWorkflow(workflowId, expectedCount) {
		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
		// Either the canvas fills in, or n8n sends us to the sign-in page.
		await page.waitForFunction(
			() => location.pathname.startsWith('/signin') || document.querySelector('.vue-flow__node') !== null,
			undefined,
			{ timeout: 60000 },
		);
		if (new URL(page.url()).pathname.startsWith('/signin')) {
			throw new Error(`n8n showed its sign-in page for /workflow/${workflowId}: the owner's session cookie was not accepted`);
		}
		if (expectedCount !== undefined) {
			await page
				.waitForFunction((n) => document.querySelectorAll('.vue-flow__node').length >= n, expectedCount, {
					timeout: timeoutMs,
				})
				.catch(async () => {
					const seen = await page.locator('.vue-flow__node').count();
					throw new Error(`The canvas of workflow ${workflowId} shows ${seen} nodes, expected ${expectedCount}`);
				});
		}
		// Icons are <img> files for community nodes: let them finish (loaded or broken).
		await page.waitForFunction(() => [...document.querySelectorAll('.vue-flow__node img')].every((img) => img.complete));
	}

	/** What the canvas shows for each node (see readCanvasNodes). */
	async function canvasNodes() {
		return page.locator('.vue-flow__node').evaluateAll(readCanvasNodes);
	}

	/**
	 * Waits (bounded) until no canvas node is marked as not installed, then returns the
	 * nodes. A node that stays unknown is returned as such for the test to report.
	 */
	async function settledCanvasNodes(waitMs = 5000) {
		await page
			.waitForFunction(
				() => !document.querySelector('.vue-flow__node [data-test-id="node-not-installed"], .vue-flow__node [class*="nodeIconPlaceholder"]'),
				undefined,
				{ timeout: waitMs },
			)
			.catch(() => undefined);
		return canvasNodes();
	}

	/** Closes whatever drawer/modal covers the editor (what's new, surveys...); throws if one stays open. */
	async function dismissPopups() {
		const dialogs = page.locator('[role="dialog"]:visible');
		for (let round = 0; round < 5 && (await dialogs.count()) > 0; round += 1) {
			const dialog = dialogs.first();
			const close = dialog.locator(
				'[aria-label="Close this dialog"], .el-drawer__close-btn, .el-dialog__headerbtn, [data-test-id$="close-button"]',
			);
			if ((await close.count()) > 0) await close.first().click();
			else await page.keyboard.press('Escape');
			await dialog.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
		}
		const left = await dialogs.allInnerTexts();
		if (left.length > 0) throw new Error(`A dialog covers the editor and could not be closed: ${left[0].slice(0, 200)}`);
	}

	/** Clicks the canvas' "zoom to fit" (without moving the mouse) and waits until the view stops moving. */
	async function zoomToFit() {
		await page.locator('[data-test-id="zoom-to-fit"]').dispatchEvent('click');
		await page.waitForFunction(
			() => {
				const pane = document.querySelector('.vue-flow__transformationpane');
				const now = pane ? pane.style.transform : '';
				const w = window;
				if (w.__e2eTransform !== now) {
					w.__e2eTransform = now;
					w.__e2eSince = performance.now();
					return false;
				}
				return performance.now() - w.__e2eSince > 400;
			},
			undefined,
			{ polling: 100, timeout: 10000 },
		);
	}

	/** Nodes (by id) not entirely inside the visible canvas area. */
	async function nodesOutsideView() {
		const box = await canvas.boundingBox();
		if (!box) throw new Error('The canvas is not visible');
		const rects = await page
			.locator('.vue-flow__node')
			.evaluateAll((els) =>
				els.map((el) => {
					const r = el.getBoundingClientRect();
					return { id: el.getAttribute('data-id'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
				}),
			);
		return rects
			.filter((r) => r.left < box.x || r.top < box.y || r.right > box.x + box.width || r.bottom > box.y + box.height)
			.map((r) => r.id);
	}

	/** Saves the page as PNG (test-results/, and docs/images/ with UPDATE_SCREENSHOTS=1); returns the paths. */
	async function screenshot(name) {
		return saveScreenshotFiles(name, await page.screenshot({ type: 'png' }));
	}

	/** Opens a node's panel (double-click on the canvas) and reports what it shows. */
	async function openNode(name) {
		if (await ndv.isVisible()) await closeNode();
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`).dblclick();
		await ndv.waitFor({ state: 'visible' });
		// Known nodes show their parameter list; unknown ones only an install hint.
		await page
			.locator('[data-test-id="ndv"] [data-test-id="node-parameters"], [data-test-id="ndv"] [data-test-id="install-community-node-button"]')
			.first()
			.waitFor({ state: 'visible' });
		const parameters = ndv.locator('[data-test-id="node-parameters"]');
		const hasParameters = (await parameters.count()) > 0;
		// name -> what the input shows: the text field's / select's value, else its text (tags of a multi-select).
		const values = hasParameters
			? await parameters.locator('[data-test-id^="parameter-input-"]').evaluateAll((els) => {
					const out = {};
					for (const el of els) {
						const key = el.getAttribute('data-test-id').slice('parameter-input-'.length);
						if (key === 'field' || key in out) continue;
						const input = el.querySelector('input.el-input__inner, input[type="text"], textarea');
						const value = input && input.value ? input.value : '';
						out[key] = value || el.innerText.trim();
					}
					return out;
				})
			: {};
		const labels = hasParameters
			? (await parameters.locator('[data-test-id="input-label"] label').allInnerTexts()).map((t) => t.trim().split('\n')[0])
			: [];
		const credentialSelect = ndv.locator('[data-test-id="node-credentials-select"] input');
		return {
			title: (await ndv.locator('[data-test-id="node-title-container"]').innerText()).trim(),
			parameterNames: Object.keys(values),
			values,
			labels: [...new Set(labels)],
			credential: (await credentialSelect.count()) > 0 ? await credentialSelect.first().inputValue() : null,
			text: await ndv.innerText(),
		};
	}

	/** Closes the open node panel and waits until it is gone. */
	async function closeNode() {
		await ndv.locator('[data-test-id="ndv-close-button"]').click();
		await ndv.waitFor({ state: 'hidden' });
	}

	/** Whether a node panel is open. */
	async function nodePanelOpen() {
		return ndv.isVisible();
	}

	/**
	 * Runs `fn`; if it throws, saves test-results/<name>-failure.png and adds its path
	 * and the page's uncaught errors to the message.
	 */
	async function capture(name, fn) {
		try {
			return await fn();
		} catch (error) {
			let where = '';
			try {
				where = ` (screenshot: ${saveScreenshotFiles(`${name}-failure`, await page.screenshot({ type: 'png' }), { forDocs: false })[0]}; page at ${page.url()})`;
			} catch {
				/* the browser may be gone */
			}
			const errors = pageErrors.length > 0 ? `\nUncaught errors in the page: ${pageErrors.slice(-5).join(' | ')}` : '';
			if (error instanceof Error) {
				error.message = `${error.message}${where}${errors}`;
				throw error;
			}
			throw new Error(`${String(error)}${where}${errors}`);
		}
	}

	let closed = false;
	async function close() {
		if (closed) return;
		closed = true;
		try {
			await context.close();
		} finally {
			fs.rmSync(userDataDir, { recursive: true, force: true });
		}
	}

	return {
		page,
		pageErrors,
		openWorkflow,
		canvasNodes,
		settledCanvasNodes,
		dismissPopups,
		zoomToFit,
		nodesOutsideView,
		screenshot,
		openNode,
		closeNode,
		nodePanelOpen,
		capture,
		close,
	};
}

module.exports = { launchEditor, chromiumPath, CHROMIUM_ARGS };
