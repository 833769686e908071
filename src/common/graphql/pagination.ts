import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, Max, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { CommonErrorCode } from '../errors/common.errors';

@ObjectType({ description: 'Where a page sits in a list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when there are more items after this page.' })
  hasNextPage: boolean;

  @Field({ description: 'True when there are items before this page.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item; pass it as `after` for the next page.',
  })
  endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: 20,
    description: 'How many items to return (1 to 100).',
  })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number;

  @Field({ nullable: true, description: 'Return the items after this cursor.' })
  @IsOptional()
  @IsString()
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number;
}

/** Builds `XConnection` and `XEdge` GraphQL types for a node type. */
export function Paginated<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a list, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque position of this item.' })
    cursor: string;

    @Field(() => node, { description: `The ${name}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true, description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo: PageInfo;
  }
  return ConnectionType as Type<Connection<T>>;
}

/**
 * Keyset cursors over (createdAt, id): stable while rows are inserted, no OFFSET scans.
 * A cursor is base64url JSON; clients treat it as opaque.
 */
export interface KeysetPosition {
  readonly createdAt: Date;
  readonly id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new DomainError(
      CommonErrorCode.INVALID_CURSOR,
      'bad_input',
      'The cursor is not valid for this list',
    );
  }
}

/** Turns rows fetched with `first + 1` into a connection. Rows must be ordered newest first. */
export function toConnection<Row extends KeysetPosition, Node>(
  rows: Row[],
  first: number,
  hasPrevious: boolean,
  toNode: (row: Row) => Node,
): Connection<Node> {
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: encodeCursor(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
