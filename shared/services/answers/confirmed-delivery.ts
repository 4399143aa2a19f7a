import { recordCustomerConfirmedDelivery } from '../arrears.ts';
import type { ArrearsDeps } from '../arrears-step.ts';
import type { CustomerConfirmation, DeliveryConfirmationPort } from '../ports/index.ts';

/**
 * The customers' confirmations, recorded where the lead time is decided: on the disconnection plan the
 * notice belongs to, as a delivery of its notice on the answer's channel no later than the answer
 * (billing-rules.md §8, lead time from delivery). The plan keeps the earliest delivery it counts from,
 * so a confirmation after the provider's delivery event only adds to the evidence; one with no earlier
 * delivery moves a plan whose lead it would cut short, and its reminder schedule with it. A second
 * click, or a re-delivered stream record, carries the same time and changes nothing.
 */
export function confirmedDeliveriesOnPlans(arrears: ArrearsDeps): DeliveryConfirmationPort {
  return {
    async recordCustomerConfirmedDelivery(accountId: string, confirmation: CustomerConfirmation) {
      await recordCustomerConfirmedDelivery(
        accountId,
        {
          ...(confirmation.planId === undefined ? {} : { planId: confirmation.planId }),
          ...(confirmation.revision === undefined ? {} : { revision: confirmation.revision }),
          channel: confirmation.channel,
          receivedAt: confirmation.at,
        },
        arrears,
      );
    },
  };
}
