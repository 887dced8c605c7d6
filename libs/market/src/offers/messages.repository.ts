import type { OfferMessage } from '@cloudloom/contracts';
import type { EntityManager } from 'typeorm';

type Runner = Pick<EntityManager, 'query'>;

/** The most a conversation answers at once: its latest messages. */
export const MESSAGES_SHOWN = 500;

const COLUMNS = `id, allocation_id AS "allocationId", order_id AS "orderId", side AS "from", author, body, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/** Every read and write of `offer_messages`: one conversation per offer, between its brand and its factory. */
export const MessagesRepository = {
  async insert(m: Runner, message: { allocationId: string; orderId: string; organizationId: string; from: 'brand' | 'factory'; author: string | null; body: string }): Promise<OfferMessage> {
    const [row] = await m.query<OfferMessage[]>(
      `INSERT INTO offer_messages (allocation_id, order_id, organization_id, side, author, body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [message.allocationId, message.orderId, message.organizationId, message.from, message.author, message.body],
    );
    return row!;
  },

  /** The offer's latest messages, oldest first. */
  async ofOffer(m: Runner, allocationId: string): Promise<OfferMessage[]> {
    return m.query<OfferMessage[]>(
      `SELECT ${COLUMNS} FROM (SELECT * FROM offer_messages WHERE allocation_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${MESSAGES_SHOWN}) AS latest
       ORDER BY created_at, id`,
      [allocationId],
    );
  },
};
