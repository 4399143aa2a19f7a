/*
 * HTML part of the bill-preview email (Handlebars). Email-client safe: nested tables, inline styles only,
 * no script, no remote image or stylesheet, fluid up to 600px. Every value is double-stashed ({{x}}), so
 * Handlebars HTML-escapes it; never use {{{x}}} here. Colours and widths come from the renderer, not
 * from customer data.
 */
export const BILL_PREVIEW_EMAIL_HTML = `<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#eef1f5;-webkit-text-size-adjust:100%;">
<div style="display:none;max-height:0;overflow:hidden;font-size:1px;line-height:1px;color:#eef1f5;opacity:0;">{{preheader}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#eef1f5;">
<tr><td align="center" style="padding:12px 6px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-collapse:separate;font-family:-apple-system,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Helvetica Neue',Arial,sans-serif;color:#1a1a1a;font-size:15px;line-height:1.5;">
<tr><td style="background-color:#1f4e79;color:#ffffff;padding:14px 20px;font-size:17px;font-weight:bold;">{{t.heading}}</td></tr>
{{#if corrected}}
<tr><td data-field="corrected-banner" style="background-color:#fff4d6;border-left:4px solid #b45309;color:#7a3e00;padding:12px 16px;font-size:15px;font-weight:bold;">{{correctedBanner}}</td></tr>
{{/if}}
<tr><td style="padding:18px 20px 4px 20px;">
<div data-field="account-name" style="font-size:17px;font-weight:bold;word-break:break-word;">{{accountName}}</div>
<div style="font-size:14px;color:#555555;">{{accountLine}}</div>
</td></tr>
<tr><td style="padding:12px 20px 4px 20px;">
<div style="font-size:14px;color:#555555;">{{t.totalLabel}}</div>
<div data-field="total" style="font-size:34px;line-height:1.2;font-weight:bold;color:#1f4e79;">{{totalText}}</div>
<div style="font-size:15px;padding-top:4px;">{{t.dueDateLabel}}{{t.colon}}<strong data-field="due-date">{{dueDateText}}</strong></div>
</td></tr>
{{#if comparisons.length}}
<tr><td style="padding:14px 20px 0 20px;">
<div style="font-size:13px;color:#555555;font-weight:bold;text-transform:uppercase;letter-spacing:0.5px;">{{t.changeHeading}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
{{#each comparisons}}
<tr>
<td width="24" valign="top" style="padding:4px 0;font-size:15px;color:{{color}};">{{arrow}}</td>
<td data-field="comparison" style="padding:4px 0;font-size:15px;color:{{color}};">{{sentence}}</td>
</tr>
{{/each}}
</table>
</td></tr>
{{/if}}
<tr><td style="padding:8px 20px 0 20px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;">
<tr><td style="padding:3px 0;color:#555555;width:40%;" valign="top">{{t.consumptionLabel}}</td><td style="padding:3px 0;" valign="top">{{consumptionText}}</td></tr>
{{#if averagePriceText}}
<tr><td style="padding:3px 0;color:#555555;" valign="top">{{t.averagePriceLabel}}</td><td style="padding:3px 0;" valign="top">{{averagePriceText}}</td></tr>
{{/if}}
</table>
</td></tr>
<tr><td style="padding:18px 20px 0 20px;">
<div style="font-size:16px;font-weight:bold;padding-bottom:6px;border-bottom:2px solid #1f4e79;">{{t.actionsHeading}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
{{#each actions}}
<tr>
<td width="20" valign="top" style="padding:8px 0 0 0;color:#1f4e79;font-weight:bold;">&#8226;</td>
<td data-field="action" style="padding:8px 0 0 0;font-size:15px;">{{text}}{{#if saving}}<br><span style="color:#15803d;font-weight:bold;">{{saving}}</span>{{/if}}</td>
</tr>
{{/each}}
</table>
</td></tr>
<tr><td style="padding:22px 20px 0 20px;">
<div style="font-size:16px;font-weight:bold;padding-bottom:6px;border-bottom:2px solid #1f4e79;">{{t.linesHeading}}</div>
<table data-table="lines" role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:13px;line-height:1.4;">
<tr style="color:#555555;">
<td style="padding:8px 4px 6px 0;border-bottom:1px solid #d5dbe3;">{{t.itemColumn}}</td>
<td align="right" style="padding:8px 4px 6px 4px;border-bottom:1px solid #d5dbe3;">{{t.quantityColumn}}</td>
<td align="right" style="padding:8px 4px 6px 4px;border-bottom:1px solid #d5dbe3;">{{t.unitPriceColumn}}</td>
<td align="right" style="padding:8px 0 6px 4px;border-bottom:1px solid #d5dbe3;">{{t.amountColumn}}</td>
</tr>
{{#each lines}}
<tr data-line="{{code}}">
<td valign="top" style="padding:7px 4px 7px 0;border-bottom:1px solid #eceff3;">{{label}}</td>
<td valign="top" align="right" style="padding:7px 4px;border-bottom:1px solid #eceff3;white-space:nowrap;">{{quantityText}}</td>
<td valign="top" align="right" style="padding:7px 4px;border-bottom:1px solid #eceff3;white-space:nowrap;">{{unitPriceText}}</td>
<td data-cell="amount" valign="top" align="right" style="padding:7px 0 7px 4px;border-bottom:1px solid #eceff3;white-space:nowrap;">{{amountText}}</td>
</tr>
{{/each}}
<tr>
<td colspan="3" style="padding:9px 4px 0 0;font-size:15px;font-weight:bold;">{{t.linesTotal}}</td>
<td data-cell="lines-total" align="right" style="padding:9px 0 0 4px;font-size:15px;font-weight:bold;white-space:nowrap;">{{totalText}}</td>
</tr>
</table>
</td></tr>
{{#if bands.length}}
<tr><td style="padding:22px 20px 0 20px;">
<div style="font-size:16px;font-weight:bold;padding-bottom:6px;border-bottom:2px solid #1f4e79;">{{t.bandsHeading}}</div>
<table data-table="bands" role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;">
{{#each bands}}
<tr data-band="{{band}}">
<td width="72" style="padding:7px 8px 7px 0;white-space:nowrap;">{{label}}</td>
<td width="40%" style="padding:7px 0;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
{{#if fillWidth}}<td width="{{fillWidth}}%" height="12" style="background-color:{{color}};height:12px;font-size:0;line-height:0;">&nbsp;</td>{{/if}}
{{#if restWidth}}<td width="{{restWidth}}%" height="12" style="background-color:#e6eaf0;height:12px;font-size:0;line-height:0;">&nbsp;</td>{{/if}}
</tr></table>
</td>
<td align="right" style="padding:7px 0 7px 8px;white-space:nowrap;">{{kwhText}} kWh<span style="color:#555555;">{{@root.t.openParen}}{{shareText}}{{@root.t.closeParen}}</span></td>
</tr>
{{/each}}
<tr>
<td colspan="2" style="padding:7px 0;font-weight:bold;">{{t.bandsTotal}}</td>
<td align="right" style="padding:7px 0 7px 8px;font-weight:bold;white-space:nowrap;">{{totalKwhText}} kWh</td>
</tr>
</table>
</td></tr>
{{/if}}
<tr><td style="padding:22px 20px 0 20px;">
<div style="font-size:16px;font-weight:bold;padding-bottom:6px;border-bottom:2px solid #1f4e79;">{{t.powerFactorHeading}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;">
<tr>
<td width="33%" valign="top" style="padding:8px 4px 0 0;"><div style="color:#555555;font-size:13px;">{{t.powerFactorLabel}}</div><div data-field="power-factor" style="font-size:20px;font-weight:bold;">{{powerFactor.valueText}}</div></td>
<td width="33%" valign="top" style="padding:8px 4px 0 4px;"><div style="color:#555555;font-size:13px;">{{t.powerFactorStandardLabel}}</div><div style="font-size:20px;font-weight:bold;">{{powerFactor.standardText}}</div></td>
<td width="34%" valign="top" style="padding:8px 0 0 4px;"><div style="color:#555555;font-size:13px;">{{t.powerFactorAdjustmentLabel}}</div><div data-field="power-factor-adjustment" style="font-size:20px;font-weight:bold;color:{{powerFactor.color}};">{{powerFactor.adjustmentText}}</div></td>
</tr>
<tr><td colspan="3" style="padding:6px 0 0 0;color:{{powerFactor.color}};">{{powerFactor.verdict}}</td></tr>
</table>
</td></tr>
<tr><td style="padding:22px 20px 0 20px;">
<div style="font-size:16px;font-weight:bold;padding-bottom:6px;border-bottom:2px solid #1f4e79;">{{t.demandHeading}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;">
<tr><td style="padding:6px 0 0 0;color:#555555;width:50%;">{{t.maxDemandLabel}}</td><td data-field="max-demand" align="right" style="padding:6px 0 0 0;font-weight:bold;">{{demand.maxDemandText}} kW</td></tr>
{{#if demand.contractedText}}
<tr><td style="padding:6px 0 0 0;color:#555555;">{{t.contractedDemandLabel}}</td><td align="right" style="padding:6px 0 0 0;font-weight:bold;">{{demand.contractedText}} kW</td></tr>
{{/if}}
<tr><td style="padding:6px 0 0 0;color:#555555;">{{t.capacityLabel}}</td><td align="right" style="padding:6px 0 0 0;font-weight:bold;">{{demand.capacityText}} kVA</td></tr>
{{#if demand.verdict}}
<tr><td colspan="2" style="padding:6px 0 0 0;color:{{demand.color}};">{{demand.verdict}}</td></tr>
{{/if}}
</table>
</td></tr>
{{#if history}}
<tr><td style="padding:22px 20px 0 20px;">
<div style="font-size:16px;font-weight:bold;padding-bottom:6px;border-bottom:2px solid #1f4e79;">{{t.historyHeading}} <span style="font-size:13px;font-weight:normal;color:#555555;">{{history.range}}</span></div>
<table data-table="history" role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;">
<tr>
{{#each history.bars}}
<td data-period="{{period}}" align="center" valign="bottom" height="84" style="height:84px;padding:8px 2px 0 2px;vertical-align:bottom;" title="{{periodText}} {{amountText}}">
<div style="height:{{heightPx}}px;line-height:{{heightPx}}px;font-size:0;background-color:{{color}};">&nbsp;</div>
</td>
{{/each}}
</tr>
<tr>
{{#each history.bars}}
<td align="center" style="padding:3px 0 0 0;font-size:11px;color:{{labelColor}};white-space:nowrap;overflow:hidden;">{{label}}</td>
{{/each}}
</tr>
</table>
<div style="font-size:13px;color:#555555;padding-top:6px;">{{history.extremes}}</div>
</td></tr>
{{/if}}
<tr><td style="padding:22px 20px 0 20px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f6fa;border-radius:6px;">
<tr><td style="padding:14px 16px;font-size:15px;">
<div style="font-size:13px;color:#555555;">{{t.managerHeading}}</div>
<div data-field="manager-name" style="font-size:16px;font-weight:bold;padding:2px 0 4px 0;">{{manager.name}}</div>
<div>{{t.managerPhone}}{{t.colon}}{{#if manager.tel}}<a href="tel:{{manager.tel}}" style="color:#1f4e79;">{{manager.phone}}</a>{{else}}{{manager.phone}}{{/if}}</div>
<div style="word-break:break-all;">{{t.managerEmail}}{{t.colon}}<a href="mailto:{{manager.email}}" style="color:#1f4e79;">{{manager.email}}</a></div>
</td></tr>
</table>
</td></tr>
<tr><td data-field="footer" style="padding:20px 20px 22px 20px;font-size:12px;line-height:1.5;color:#666666;">
<div style="font-weight:bold;color:#444444;">{{t.previewNotice}}</div>
<div style="padding-top:4px;">{{t.automatedNotice}}</div>
{{#if versionText}}<div style="padding-top:4px;">{{accountId}} · {{periodText}} · {{versionText}}</div>{{/if}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
