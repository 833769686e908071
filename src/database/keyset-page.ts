import type { FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import { decodeCursor, toConnection, type Connection } from '../common/graphql/pagination';

/** One page of rows, newest first, by keyset on (created_at, id): no OFFSET scans, stable under inserts. */
export async function findKeysetPage<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  repository: Repository<T>,
  where: FindOptionsWhere<T>,
  first: number,
  after?: string,
): Promise<Connection<T>> {
  const query = repository
    .createQueryBuilder('row')
    .where(where)
    .orderBy('row.createdAt', 'DESC')
    .addOrderBy('row.id', 'DESC')
    .take(first + 1);
  if (after) {
    query.andWhere(
      '(row.createdAt < :createdAt OR (row.createdAt = :createdAt AND row.id < :id))',
      decodeCursor(after),
    );
  }
  return toConnection(await query.getMany(), first, Boolean(after), (row) => row);
}
