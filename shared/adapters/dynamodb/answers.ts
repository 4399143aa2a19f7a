import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Answer } from '#domain/answers/answer.ts';
import type { FollowUp } from '#domain/answers/follow-up.ts';
import type {
  AnswerStore,
  BillReviewPort,
  CloseFollowUpResult,
  FollowUpStore,
  SmsLinkStore,
  SmsLinkTarget,
} from '#services/ports/answers.ts';
import { keys } from './keys.ts';
import { type DynamoTable, isConditionFailure, withoutKeys } from './table.ts';

const monthOf = (iso: string): string => iso.slice(0, 7);

/** Customers' answers: one item per notice and action, written once. */
export class DynamoAnswerStore implements AnswerStore {
  constructor(private readonly table: DynamoTable) {}

  async getAnswer(accountId: string, answerId: string): Promise<Answer | undefined> {
    const out = await this.table.client.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.answer(accountId, answerId),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : withoutKeys<Answer>(out.Item);
  }

  async putAnswer(answer: Answer): Promise<{ created: boolean; answer: Answer }> {
    const created = await this.table.putIf({
      Item: {
        ...keys.answer(answer.accountId, answer.answerId),
        ...keys.answersOfMonth(monthOf(answer.at), answer.at, answer.accountId),
        entity: 'ANSWER',
        ...answer,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (created) return { created, answer };
    const stored = await this.getAnswer(answer.accountId, answer.answerId);
    if (stored === undefined) throw new Error(`answer ${answer.answerId} exists and cannot be read`);
    return { created, answer: stored };
  }

  async listAnswersOfMonth(month: string): Promise<Answer[]> {
    return (await this.table.queryIndex('gsi1', `ANSWERS#${month}`)).map((i) => withoutKeys<Answer>(i));
  }
}

/** The managers' worklist: open follow-ups by due time (gsi2), every follow-up by month opened (gsi1). */
export class DynamoFollowUpStore implements FollowUpStore {
  constructor(private readonly table: DynamoTable) {}

  openFollowUp(followUp: FollowUp): Promise<boolean> {
    return this.table.putIf({
      Item: {
        ...keys.followUp(followUp.accountId, followUp.followUpId),
        ...keys.followUpIndexes(
          'OPEN',
          followUp.dueAt,
          monthOf(followUp.openedAt),
          followUp.openedAt,
          followUp.accountId,
        ),
        entity: 'FOLLOWUP',
        ...followUp,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async getFollowUp(accountId: string, followUpId: string): Promise<FollowUp | undefined> {
    const out = await this.table.client.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.followUp(accountId, followUpId),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : withoutKeys<FollowUp>(out.Item);
  }

  async listOpenFollowUps(): Promise<FollowUp[]> {
    return (await this.table.queryIndex('gsi2', 'FOLLOWUPSTATUS#OPEN')).map((i) => withoutKeys<FollowUp>(i));
  }

  async listFollowUpsOpenedInMonth(month: string): Promise<FollowUp[]> {
    return (await this.table.queryIndex('gsi1', `FOLLOWUPS#${month}`)).map((i) => withoutKeys<FollowUp>(i));
  }

  async closeFollowUp(
    accountId: string,
    followUpId: string,
    close: { at: string; by: string; note?: string },
  ): Promise<CloseFollowUpResult> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.followUp(accountId, followUpId),
          UpdateExpression:
            'SET #status = :closed, closedAt = :at, closedBy = :by, note = :note, gsi2pk = :gsi2pk, gsi2sk = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':closed': 'CLOSED',
            ':open': 'OPEN',
            ':at': close.at,
            ':by': close.by,
            ':note': close.note ?? '',
            ':gsi2pk': 'FOLLOWUPSTATUS#CLOSED',
          },
        }),
      );
      return 'closed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getFollowUp(accountId, followUpId)) === undefined ? 'not-found' : 'already-closed';
    }
  }

  async markEscalated(accountId: string, followUpId: string, at: string): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.followUp(accountId, followUpId),
          UpdateExpression: 'SET escalatedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND #status = :open AND attribute_not_exists(escalatedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':open': 'OPEN' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** The targets of SMS short links, written by the sender. */
export class DynamoSmsLinkStore implements SmsLinkStore {
  constructor(private readonly table: DynamoTable) {}

  async putSmsLink(code: string, target: SmsLinkTarget): Promise<void> {
    await this.table.putIf({
      Item: { ...keys.smsLink(code), entity: 'ANSWERLINK', ...target },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async getSmsLink(code: string): Promise<SmsLinkTarget | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: keys.smsLink(code) }),
    );
    return out.Item === undefined ? undefined : withoutKeys<SmsLinkTarget>(out.Item);
  }
}

/** A bill version marked for review (an attribute of its item: the bill document is untouched). */
export class DynamoBillReview implements BillReviewPort {
  constructor(private readonly table: DynamoTable) {}

  async markBillForReview(
    accountId: string,
    period: string,
    version: number,
    review: { answerId: string; at: string },
  ): Promise<void> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.bill(accountId, period, version),
          UpdateExpression: 'SET reviewRequestedAt = :at, reviewAnswerId = :answer',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(reviewRequestedAt)',
          ExpressionAttributeValues: { ':at': review.at, ':answer': review.answerId },
        }),
      );
    } catch (error) {
      // Already marked (a retry, or an earlier answer): the first request stands.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
