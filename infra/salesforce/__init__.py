"""Salesforce: the org metadata (SFDX source format) and the REST client adapter of the mirror."""
