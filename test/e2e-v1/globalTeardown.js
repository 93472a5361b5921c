'use strict';
/**
 * jest globalTeardown of the n8n 1.x e2e suite: test/e2e/globalTeardown.js (stops the
 * sandboxes and n8n; keeps the temp folder and prints n8n's log tail when a test failed).
 */
module.exports = require('../e2e/globalTeardown');
