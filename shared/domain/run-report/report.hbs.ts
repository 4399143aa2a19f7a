import { handlebarsTemplate } from '../handlebars-template.ts';

const TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run report {{r.key}}</title>
<style>
body{font-family:-apple-system,'PingFang SC','Microsoft YaHei','Helvetica Neue',Arial,sans-serif;color:#1a1a1a;margin:24px;font-size:14px;line-height:1.45}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:2px solid #1f4e79;padding-bottom:4px}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.meta{color:#555}.warn{color:#b45309}.small{font-size:12px;color:#555}code{word-break:break-all}
</style>
</head>
<body>
<h1>Run report{{#if r.dryRun}} <span class="warn">(dry run: nothing stored or sent)</span>{{/if}}</h1>
<div class="meta"><code>{{r.key}}</code> · run {{r.runId}} · {{r.status}} · period {{r.period}} · started {{r.startedAt}} · finished {{r.finishedAt}} · generated {{r.generatedAt}}</div>

<h2>Rows</h2>
<table data-field="rows"><tr><th>rows</th><th>accepted</th><th>rejected</th></tr>
<tr><td class="n">{{r.rows.total}}</td><td class="n">{{r.rows.accepted}}</td><td class="n">{{r.rows.rejected}}</td></tr></table>

<h2>Rejected, by reason</h2>
{{#if r.rejectReasons.length}}
<table data-field="reject-reasons"><tr><th>reason</th><th>rows</th><th>examples (row: reason)</th></tr>
{{#each r.rejectReasons}}<tr><td>{{reason}}</td><td class="n">{{count}}</td><td>{{#each examples}}<div class="small">{{rowNumber}}{{#if column}} [{{column}}]{{/if}}: {{reason}}</div>{{/each}}</td></tr>
{{/each}}</table>
{{else}}<p data-field="reject-reasons">No row was rejected.</p>{{/if}}

<h2>Key accounts</h2>
<table data-field="accounts"><tr><th>expected</th><th>billed</th><th>missing</th><th>held</th></tr>
<tr><td class="n">{{r.accounts.expected}}</td><td class="n">{{r.accounts.billed}}</td><td class="n">{{r.accounts.missing.length}}</td><td class="n">{{r.accounts.held.length}}</td></tr></table>
{{#if r.accounts.missing.length}}
<p class="warn">Missing (no bill for {{r.period}}; no preview is sent for them until a drop with all their reads bills them):</p>
<p data-field="missing">{{#each r.accounts.missing}}<code>{{this}}</code> {{/each}}</p>
{{/if}}
{{#if r.accounts.held.length}}
<table data-field="held"><tr><th>held account</th><th>version</th><th>why</th></tr>
{{#each r.accounts.held}}<tr><td>{{accountId}}</td><td class="n">{{version}}</td><td>{{#each reasons}}<div>{{this}}</div>{{/each}}</td></tr>
{{/each}}</table>
{{/if}}

<h2>Bill versions</h2>
<table data-field="versions"><tr><th>created</th><th>of which corrections</th><th>unchanged</th></tr>
<tr><td class="n">{{r.versions.created}}</td><td class="n">{{r.versions.corrected}}</td><td class="n">{{r.versions.unchanged}}</td></tr></table>

<h2>Totals against the previous period</h2>
<table data-field="totals"><tr><th>this run's bills (yuan)</th><th>the same accounts, previous period</th><th>change</th><th>without a previous bill</th></tr>
<tr><td class="n">{{r.totals.current}}</td><td class="n">{{r.totals.previous}}</td><td class="n">{{#if r.totals.changePercent}}{{r.totals.changePercent}}%{{else}}–{{/if}}</td><td class="n">{{r.totals.withoutPrevious}}</td></tr></table>
<div data-field="histogram">{{histogram}}</div>
{{#if bills.length}}
<table data-field="bills"><tr><th>account</th><th>name</th><th>version</th><th>total</th><th>previous</th><th>change</th></tr>
{{#each bills}}<tr><td>{{accountId}}</td><td>{{name}}</td><td class="n">{{version}}</td><td class="n">{{total}}</td><td class="n">{{previousTotal}}</td><td class="n">{{#if changePercent}}{{changePercent}}%{{/if}}</td></tr>
{{/each}}</table>
{{#if billsCut}}<p class="small">{{billsCut}} more in the CSV.</p>{{/if}}
{{/if}}

<h2>Notices</h2>
<table data-field="notices"><tr><th>channel</th>{{#each outcomes}}<th>{{this}}</th>{{/each}}</tr>
{{#each notices}}<tr><td>{{channel}}</td>{{#each counts}}<td class="n">{{this}}</td>{{/each}}</tr>
{{/each}}</table>
</body>
</html>
`;

/** The run report's HTML (precompiled in the function bundles); strict: a missing field throws. */
export const render = handlebarsTemplate<object>(TEMPLATE, { strict: true });
