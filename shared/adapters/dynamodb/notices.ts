import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeChannel, NoticePlan, NoticeStatus, StoredNotice } from '#domain/notices.ts';
import type { NoticeStore, NoticeTransitionExtra, SuppressionStore } from '#services/ports/stores.ts';
import { keys, keysOfIndexes } from './keys.ts';
import { type DynamoTable, isConditionFailure, withoutKeys } from './table.ts';

type NoticeRef = Pick<StoredNotice, 'accountId' | 'noticeId'>;

/** Notices: the outbox. A notice exists as an item before any queue message or provider call. */
export class DynamoNoticeStore implements NoticeStore {
  constructor(private readonly table: DynamoTable) {}

  /** Creates the notice unless it exists; returns the stored notice either way. */
  async createNotice(plan: NoticePlan): Promise<{ created: boolean; notice: StoredNotice }> {
    const now = new Date().toISOString();
    const notice: StoredNotice = {
      ...plan,
      status: 'QUEUED',
      createdAt: now,
      updatedAt: now,
      attempts: 0,
      timeline: [{ at: now, status: 'QUEUED' }],
    };
    const created = await this.table.putIf({
      Item: {
        ...keys.notice(plan.accountId, plan.noticeId),
        ...keys.noticeStatusIndex('QUEUED', now),
        entity: 'NOTICE',
        ...notice,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (created) return { created: true, notice };
    const existing = await this.getNotice(plan.accountId, plan.noticeId);
    if (existing === undefined) throw new Error(`notice ${plan.noticeId} exists and cannot be read`);
    return { created: false, notice: existing };
  }

  async getNotice(accountId: string, noticeId: string): Promise<StoredNotice | undefined> {
    const out = await this.table.client.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.notice(accountId, noticeId),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : withoutKeys<StoredNotice>(out.Item);
  }

  async listNotices(accountId: string, idPrefix = ''): Promise<StoredNotice[]> {
    const items = await this.table.queryPrefix(keys.account(accountId).pk, `${keys.noticePrefix}${idPrefix}`);
    return items.map((i) => withoutKeys<StoredNotice>(i));
  }

  async listNoticesByStatus(status: NoticeStatus): Promise<StoredNotice[]> {
    const items = await this.table.queryIndex('gsi2', keysOfIndexes.noticesWithStatus(status));
    return items.map((i) => withoutKeys<StoredNotice>(i));
  }

  async findNoticeByProviderMessageId(providerMessageId: string): Promise<StoredNotice | undefined> {
    const items = await this.table.queryIndex('gsi1', keys.providerMessage(providerMessageId).gsi1pk);
    return items[0] === undefined ? undefined : withoutKeys<StoredNotice>(items[0]);
  }

  /**
   * Moves a notice from one of `from` to `to`, appending to its timeline. The condition makes the claim
   * before a send exclusive: of two deliveries of the same message, only one gets past it.
   */
  async transitionNotice(
    notice: NoticeRef,
    from: readonly NoticeStatus[],
    to: NoticeStatus,
    extra: NoticeTransitionExtra = {},
  ): Promise<boolean> {
    const now = new Date().toISOString();
    const values: Record<string, unknown> = {
      ':to': to,
      ':now': now,
      ':entry': [{ at: now, status: to, ...(extra.detail === undefined ? {} : { detail: extra.detail }) }],
      ':gsi2pk': keys.noticeStatusIndex(to, now).gsi2pk,
    };
    const sets = [
      '#status = :to',
      'updatedAt = :now',
      'timeline = list_append(timeline, :entry)',
      'gsi2pk = :gsi2pk',
      'gsi2sk = :now',
    ];
    from.forEach((status, i) => {
      values[`:from${i}`] = status;
    });
    if (extra.providerMessageId !== undefined) {
      sets.push('providerMessageId = :pmid', 'gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk');
      values[':pmid'] = extra.providerMessageId;
      const index = keys.providerMessage(extra.providerMessageId);
      values[':gsi1pk'] = index.gsi1pk;
      values[':gsi1sk'] = index.gsi1sk;
    }
    if (extra.lastError !== undefined) {
      sets.push('lastError = :err');
      values[':err'] = extra.lastError;
    }
    if (extra.countAttempt === true) {
      sets.push('attempts = attempts + :one');
      values[':one'] = 1;
    }
    if (extra.countUncertainResend === true) {
      sets.push('uncertainResends = if_not_exists(uncertainResends, :zero) + :oneResend');
      values[':zero'] = 0;
      values[':oneResend'] = 1;
    }
    return this.updateIf({
      Key: keys.notice(notice.accountId, notice.noticeId),
      // Any move ends the provider call the claim had started: its outcome is now recorded.
      UpdateExpression: `SET ${sets.join(', ')} REMOVE providerCallPending`,
      ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    }).then((out) => out !== undefined);
  }

  /**
   * The claim before a send: QUEUED (or SENDING under a lapsed claim) → SENDING in one conditional update
   * that returns the notice. Undefined when the notice is missing or someone else holds it.
   */
  async claimNotice(ref: NoticeRef, staleBefore: string): Promise<StoredNotice | undefined> {
    const now = new Date().toISOString();
    const out = await this.updateIf({
      Key: keys.notice(ref.accountId, ref.noticeId),
      UpdateExpression:
        'SET #status = :sending, updatedAt = :now, timeline = list_append(timeline, :entry), gsi2pk = :gsi2pk, gsi2sk = :now, attempts = attempts + :one',
      ConditionExpression:
        'attribute_exists(pk) AND (#status = :queued OR (#status = :sending AND updatedAt < :stale))',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':sending': 'SENDING',
        ':queued': 'QUEUED',
        ':now': now,
        ':stale': staleBefore,
        ':entry': [{ at: now, status: 'SENDING' }],
        ':gsi2pk': keys.noticeStatusIndex('SENDING', now).gsi2pk,
        ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    });
    return out?.Attributes === undefined ? undefined : withoutKeys<StoredNotice>(out.Attributes);
  }

  async markProviderCallStarted(ref: NoticeRef): Promise<boolean> {
    const out = await this.updateIf({
      Key: keys.notice(ref.accountId, ref.noticeId),
      UpdateExpression: 'SET providerCallPending = :true',
      ConditionExpression: 'attribute_exists(pk) AND #status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':true': true, ':sending': 'SENDING' },
    });
    return out !== undefined;
  }

  /** A conditional update; undefined when its condition failed. */
  private async updateIf(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) {
    try {
      return await this.table.client.send(new UpdateCommand({ ...input, TableName: this.table.name }));
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

/** Addresses that must not be sent to again, by channel and recipientKey (never the address itself). */
export class DynamoSuppressionStore implements SuppressionStore {
  constructor(private readonly table: DynamoTable) {}

  /** Records that an address must not be sent to again (hard bounce, complaint, opt-out). */
  async suppressRecipient(channel: NoticeChannel, recipient: string, reason: string): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.suppression(channel, recipient),
          entity: 'SUPPRESSION',
          channel,
          reason,
          at: new Date().toISOString(),
        },
      }),
    );
  }

  /** The reason an address is suppressed, or undefined. `recipient` is a recipientKey, never the address. */
  async suppressionOf(channel: NoticeChannel, recipient: string): Promise<string | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: keys.suppression(channel, recipient) }),
    );
    return out.Item?.reason as string | undefined;
  }

  async removeSuppression(channel: NoticeChannel, recipient: string): Promise<void> {
    await this.table.client.send(
      new DeleteCommand({ TableName: this.table.name, Key: keys.suppression(channel, recipient) }),
    );
  }
}
