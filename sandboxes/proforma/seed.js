/**
 * Seed data of the local Proforma sandbox (sandboxes/proforma/server.js):
 * the package catalogue served by GET /v1/packages.
 *
 * Codes are what POST /v1/orders takes in `package`; a Lever posting tag
 * `Proforma_<package>` names one by code (exact) or by name (case-insensitive,
 * spaces and underscores equal). Documented in docs/proforma-sandbox.md.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const PACKAGES = [
	{
		code: 'standard',
		name: 'Standard',
		description:
			'Identity and address history with a county criminal search in every county of residence over the last 7 years, the national criminal database and the sex offender registry.',
		screenings: ['ssn_trace', 'criminal_county', 'national_criminal', 'sex_offender_registry'],
	},
	{
		code: 'professional',
		name: 'Professional',
		description:
			'Everything in Standard plus federal criminal search, the most recent employment verification and highest education verification.',
		screenings: [
			'ssn_trace',
			'criminal_county',
			'national_criminal',
			'sex_offender_registry',
			'criminal_federal',
			'employment_verification',
			'education_verification',
		],
	},
	{
		code: 'executive_plus',
		name: 'Executive Plus',
		description:
			'Everything in Professional plus civil court records, professional licence verification, credit report, global watch lists and motor vehicle record, for senior and finance roles.',
		screenings: [
			'ssn_trace',
			'criminal_county',
			'national_criminal',
			'sex_offender_registry',
			'criminal_federal',
			'employment_verification',
			'education_verification',
			'civil_court',
			'professional_license',
			'credit_report',
			'global_watchlist',
			'motor_vehicle_record',
		],
	},
	{
		code: 'drug_screen_10',
		name: 'Drug Screen 10',
		description:
			'A 10-panel urine drug test at a nearby collection site; the candidate receives the collection-site details in the invitation.',
		screenings: ['drug_test_10_panel'],
	},
];

module.exports = { PACKAGES };
