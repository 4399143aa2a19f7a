/*
 * The operators' key-account report (Handlebars). Every value is double-stashed ({{x}}) so Handlebars
 * HTML-escapes it (account names and override reasons are typed by people); never use {{{x}}} here.
 * No script and no remote resource: the file is opened straight from disk or an S3 link.
 */
export const KEY_ACCOUNT_REPORT_HTML = `<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>
body{font-family:-apple-system,'PingFang SC','Microsoft YaHei','Helvetica Neue',Arial,sans-serif;color:#1a1a1a;margin:24px;font-size:14px;line-height:1.45}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:2px solid #1f4e79;padding-bottom:4px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.meta{color:#555}.note{background:#fff8e1;border-left:4px solid #b45309;padding:8px 12px;margin:12px 0}
.warn{color:#b45309}dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{font-weight:bold}dd{margin:0}
.small{font-size:12px;color:#555}.charts svg{margin:8px 16px 0 0;vertical-align:top}
</style>
</head>
<body>
<h1 data-field="title">{{title}}</h1>
<div class="meta">{{t.period}}: {{period}} · {{t.window}}: {{windowFrom}} – {{windowTo}} · {{t.effectiveFrom}}: {{effectiveFrom}} · {{t.config}}: {{configVersion}}</div>

<h2>{{t.summary}}</h2>
<dl data-field="summary">
<dt>{{t.accounts}}</dt><dd>{{totals.accounts}}</dd>
<dt>{{t.keyAccounts}}</dt><dd>{{key.count}} ({{key.accountPercent}}%)</dd>
<dt>{{t.revenueShare}}</dt><dd>{{key.revenueSharePercent}}% ({{t.target}} {{targetPercent}}%{{#unless key.shareReached}}, <span class="warn">{{t.notReached}}</span>{{/unless}})</dd>
<dt>{{t.totalRevenue}}</dt><dd>{{totals.revenue}}</dd>
<dt>{{t.keyRevenue}}</dt><dd>{{key.revenue}}</dd>
<dt>{{t.changes}}</dt><dd>{{changeSummary}}</dd>
</dl>
<div class="note" data-field="notice-policy">{{noticePolicy}}</div>
<div class="charts" data-field="charts">{{charts.pareto}} {{charts.segments}}</div>

<h2>{{t.segments}}</h2>
<table data-field="segments">
<tr><th>{{t.segment}}</th><th>{{t.description}}</th><th>{{t.count}}</th><th>{{t.leadAdvice}}</th><th>{{t.channels}}</th><th>{{t.daysBeforeDue}}</th></tr>
{{#each segments}}
<tr><td>{{name}}</td><td>{{description}}</td><td class="n">{{count}}</td><td>{{leadAdvice}}</td><td>{{channels}}</td><td class="n">{{daysBeforeDue}}</td></tr>
{{/each}}
</table>

<h2>{{t.changes}}</h2>
{{#if changes.length}}
<table data-field="changes">
<tr><th>{{t.account}}</th><th>{{t.name}}</th><th>{{t.change}}</th><th>{{t.reason}}</th></tr>
{{#each changes}}
<tr><td>{{accountId}}</td><td>{{name}}</td><td>{{change}}</td><td>{{reason}}</td></tr>
{{/each}}
</table>
{{else}}
<p data-field="changes">{{noChanges}}</p>
{{/if}}

<h2>{{t.keyAccounts}}</h2>
<table data-field="key-accounts">
<tr><th>{{t.rank}}</th><th>{{t.account}}</th><th>{{t.name}}</th><th>{{t.score}}</th><th>a</th><th>b</th><th>d</th><th>e</th><th>{{t.revenue}}</th><th>{{t.cumulative}}</th><th>{{t.segment}}</th><th>{{t.manager}}</th></tr>
{{#each keyAccounts}}
<tr><td class="n">{{rank}}</td><td>{{accountId}}</td><td>{{name}}{{#if basis}}<div class="small">{{basis}}</div>{{/if}}</td><td class="n" title="{{formula}}">{{score}}</td><td class="n">{{a}}</td><td class="n">{{b}}</td><td class="n">{{d}}</td><td class="n">{{e}}{{#if correctionReason}}<div class="small">{{correctionReason}}</div>{{/if}}</td><td class="n">{{revenue}}</td><td class="n">{{cumulative}}%</td><td>{{segment}}<div class="small">{{explanation}}</div></td><td>{{manager}}</td></tr>
{{/each}}
</table>

<h2>{{t.managers}}</h2>
<table data-field="managers">
<tr><th>{{t.manager}}</th><th>{{t.count}}</th><th>{{t.revenue}}</th><th>{{t.load}}</th></tr>
{{#each workloads}}
<tr><td>{{name}} ({{managerId}})</td><td class="n">{{accounts}}</td><td class="n">{{revenue}}</td><td class="n">{{load}}%</td></tr>
{{/each}}
</table>

<h2>{{t.overrides}}</h2>
{{#if overrides.length}}
<table data-field="overrides">
<tr><th>{{t.account}}</th><th>{{t.kind}}</th><th>{{t.value}}</th><th>{{t.reason}}</th><th>{{t.validity}}</th><th>{{t.state}}</th></tr>
{{#each overrides}}
<tr><td>{{accountId}}</td><td>{{kind}}</td><td>{{value}}</td><td>{{reason}}</td><td>{{validity}}</td><td>{{state}}</td></tr>
{{/each}}
</table>
{{else}}
<p data-field="overrides">{{t.none}}</p>
{{/if}}

{{#if warnings.length}}
<h2>{{t.warnings}}</h2>
<ul data-field="warnings">
{{#each warnings}}<li class="warn">{{this}}</li>{{/each}}
</ul>
{{/if}}
<p class="small">{{t.formula}}</p>
</body>
</html>
`;
