"""Query and verification (issue 14): the person's record of a year and its downloads, the employer's
contributions and bills, third-party authorisations, the staff's audited reads and approved bulk exports."""
