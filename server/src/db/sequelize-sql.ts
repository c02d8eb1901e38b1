import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { numbered, toSqlite, type Dialect, type Sql, type SqlValue } from './sql';

/** Plain SQL through Sequelize, optionally inside one of its transactions. */
export class SequelizeSql implements Sql {
  readonly dialect: Dialect;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction?: Transaction,
  ) {
    this.dialect = sequelize.getDialect() as Dialect;
  }

  async one<T>(text: string, params: SqlValue[] = []) {
    return (await this.all<T>(text, params))[0];
  }

  all<T>(text: string, params: SqlValue[] = []): Promise<T[]> {
    return this.sequelize.query(numbered(text), {
      bind: this.values(params),
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    }) as Promise<T[]>;
  }

  async run(text: string, params: SqlValue[] = []): Promise<number> {
    const changed: unknown = await this.sequelize.query(numbered(text), {
      bind: this.values(params),
      transaction: this.transaction,
      type: QueryTypes.BULKUPDATE,
    });
    return Number(changed ?? 0);
  }

  private values(params: SqlValue[]) {
    return this.dialect === 'sqlite' ? params.map(toSqlite) : params;
  }
}
