/** Types of support/browser.js (Chromium on the e2e n8n's editor). */
import type { Page } from 'playwright-core';

/** What the canvas shows for one node (a vue-flow node element). */
export interface CanvasNode {
	/** The workflow node's id. */
	id: string;
	kind: 'node' | 'sticky' | 'other';
	/** Node name and type (null for stickies). */
	name: string | null;
	type: string | null;
	/** The name printed under the node. */
	label: string | null;
	/** Rendered text of a sticky note. */
	text: string | null;
	/** n8n's "not installed" status icon (data-test-id="node-not-installed"). */
	notInstalledMark: boolean;
	/** The "?"/first-letter placeholder n8n draws instead of an unknown node's icon. */
	placeholderIcon: boolean;
	iconKind: 'img' | 'svg' | 'other' | null;
	iconSrc: string | null;
	/** For <img> icons: loaded with a size (false: broken). */
	iconLoaded: boolean | null;
}

/** What an open node panel (NDV) shows. */
export interface NodePanel {
	title: string;
	/** Parameter names, from data-test-id="parameter-input-<name>". */
	parameterNames: string[];
	/** Parameter name -> what its input shows (a field's or select's value, else the text: multi-select tags, expressions). */
	values: Record<string, string>;
	/** Parameter labels as displayed. */
	labels: string[];
	/** Selected credential's name, if the node has a credential slot. */
	credential: string | null;
	/** The whole panel's text. */
	text: string;
}

export interface EditorSession {
	page: Page;
	pageErrors: string[];
	/** Opens /workflow/<id>; waits for `expectedCount` canvas nodes (stickies included). */
	openWorkflow(workflowId: string, expectedCount?: number): Promise<void>;
	canvasNodes(): Promise<CanvasNode[]>;
	/** Like canvasNodes(), after waiting (bounded) for unknown-node marks to go away. */
	settledCanvasNodes(waitMs?: number): Promise<CanvasNode[]>;
	/** Closes drawers/modals covering the editor; throws if one stays open. */
	dismissPopups(): Promise<void>;
	/** "Zoom to fit", then waits until the view is still. */
	zoomToFit(): Promise<void>;
	/** Ids of nodes not entirely inside the visible canvas. */
	nodesOutsideView(): Promise<string[]>;
	/** test-results/<name>.png (+ docs/images/<name>.png with UPDATE_SCREENSHOTS=1); returns the paths written. */
	screenshot(name: string): Promise<string[]>;
	/** Double-clicks the node and reads its panel. */
	openNode(name: string): Promise<NodePanel>;
	closeNode(): Promise<void>;
	nodePanelOpen(): Promise<boolean>;
	/** Runs fn; on failure saves test-results/<name>-failure.png and adds it to the error. */
	capture<T>(name: string, fn: () => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

/**
 * Starts Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium; a clear error says how
 * to install it when missing) with a fresh profile, logged into n8n as the owner.
 */
export function launchEditor(
	n8n: { baseUrl: string; owner: { email: string; password: string } },
	options?: {
		viewport?: { width: number; height: number };
		deviceScaleFactor?: number;
		timeoutMs?: number;
	},
): Promise<EditorSession>;

/** The Chromium binary to use; throws how to install it when missing. */
export function chromiumPath(): string;
export const CHROMIUM_ARGS: string[];
