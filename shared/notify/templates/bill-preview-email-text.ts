/*
 * Plain-text part of the bill-preview email (Handlebars, compiled with noEscape: it is not HTML).
 * Same facts as the HTML part. Customer text reaches it through singleLine(), so a name cannot forge
 * extra lines.
 */
export const BILL_PREVIEW_EMAIL_TEXT = `{{t.heading}} | {{periodText}}
{{#if corrected}}

*** {{correctedBanner}} ***
{{/if}}

{{accountName}}
{{accountLine}}

{{t.totalLabel}}{{t.colon}}{{totalText}}
{{t.dueDateLabel}}{{t.colon}}{{dueDateText}}
{{#each comparisons}}
{{arrow}} {{sentence}}
{{/each}}
{{t.consumptionLabel}}{{t.colon}}{{consumptionText}}
{{#if averagePriceText}}
{{t.averagePriceLabel}}{{t.colon}}{{averagePriceText}}
{{/if}}

== {{t.actionsHeading}} ==
{{#each actions}}
- {{text}}{{#if saving}}{{@root.t.openParen}}{{saving}}{{@root.t.closeParen}}{{/if}}
{{/each}}

== {{t.linesHeading}} ==
{{#each lines}}
- {{label}}{{@root.t.colon}}{{quantityText}} × {{unitPriceText}} = {{amountText}}
{{/each}}
{{t.linesTotal}}{{t.colon}}{{totalText}}
{{#if bands.length}}

== {{t.bandsHeading}} ==
{{#each bands}}
- {{label}}{{@root.t.colon}}{{kwhText}} kWh{{@root.t.openParen}}{{shareText}}{{@root.t.closeParen}}
{{/each}}
{{t.bandsTotal}}{{t.colon}}{{totalKwhText}} kWh
{{/if}}

== {{t.powerFactorHeading}} ==
{{t.powerFactorLabel}}{{t.colon}}{{powerFactor.valueText}}
{{t.powerFactorStandardLabel}}{{t.colon}}{{powerFactor.standardText}}
{{t.powerFactorAdjustmentLabel}}{{t.colon}}{{powerFactor.adjustmentText}}
{{powerFactor.verdict}}

== {{t.demandHeading}} ==
{{t.maxDemandLabel}}{{t.colon}}{{demand.maxDemandText}} kW
{{#if demand.contractedText}}
{{t.contractedDemandLabel}}{{t.colon}}{{demand.contractedText}} kW
{{/if}}
{{t.capacityLabel}}{{t.colon}}{{demand.capacityText}} kVA
{{#if demand.verdict}}
{{demand.verdict}}
{{/if}}
{{#if history}}

== {{t.historyHeading}}{{t.openParen}}{{history.range}}{{t.closeParen}} ==
{{#each history.bars}}
- {{periodText}}{{@root.t.colon}}{{amountText}}
{{/each}}
{{/if}}

== {{t.managerHeading}} ==
{{manager.name}}
{{t.managerPhone}}{{t.colon}}{{manager.phone}}
{{t.managerEmail}}{{t.colon}}{{manager.email}}

--
{{t.previewNotice}}
{{t.automatedNotice}}
{{#if versionText}}
{{accountId}} · {{periodText}} · {{versionText}}
{{/if}}
`;
