/**
 * The worklist queues as a DynamoDB filter on the list being read (decision 067): a key condition on
 * the unit (GSI1) or status (GSI5) index picks the partition, this narrows it. Never a Scan. The
 * attributes are written with every save (`queueAttributes`, shared/domain/queues.ts).
 */
import type { ListQueue } from '#app/ports.ts';

export interface FilterParts {
  expressions: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export function queueFilter(queue: ListQueue | undefined): FilterParts {
  const parts: FilterParts = { expressions: [], names: {}, values: {} };
  if (!queue) return parts;
  const b = queue.bounds;
  if (b) {
    parts.names['#qDue'] = 'qDueAt';
    const bound = (op: string, name: string, value: string | undefined) => {
      if (value === undefined) return;
      parts.values[name] = value;
      parts.expressions.push(`#qDue ${op} ${name}`);
    };
    bound('<=', ':qDueMax', b.dueAtMax);
    bound('<', ':qDueBelow', b.dueAtBelow);
    bound('>', ':qDueAbove', b.dueAtAbove);
    bound('>=', ':qDueFrom', b.dueAtFrom);
    if (b.warnAtMax !== undefined) {
      parts.names['#qWarn'] = 'qWarnAt';
      parts.values[':qWarnMax'] = b.warnAtMax;
      parts.expressions.push('#qWarn <= :qWarnMax');
    }
  }
  if (queue.signed !== undefined) {
    // DynamoDB refuses names an expression does not use: only those it uses are given.
    parts.names['#signedAt'] = 'signedAt';
    if (!queue.signed) parts.names['#dispatchCount'] = 'dispatchCount';
    parts.expressions.push(queue.signed ? 'attribute_exists(#signedAt)' : 'attribute_exists(#dispatchCount) AND attribute_not_exists(#signedAt)');
  }
  if (queue.noticeAwaiting !== undefined) {
    parts.names['#qNotice'] = 'qNotice';
    if (queue.noticeAwaiting === '*') parts.expressions.push('attribute_exists(#qNotice)');
    else {
      parts.values[':qNoticeMe'] = queue.noticeAwaiting;
      parts.expressions.push('contains(#qNotice, :qNoticeMe)');
    }
  }
  if (queue.extensionRequested === true) {
    parts.names['#qExtension'] = 'qExtension';
    parts.expressions.push('attribute_exists(#qExtension)');
  }
  return parts;
}
