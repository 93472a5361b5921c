/**
 * End-to-end scenarios wait on a real n8n, webhooks and the sandboxes' clocks:
 * give each test minutes, not jest's default 5 s (project-level testTimeout is
 * not honoured by jest's multi-project runs). Every wait inside has its own bound.
 */
import { jest } from '@jest/globals';

jest.setTimeout(180000);
