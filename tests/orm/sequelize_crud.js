#!/usr/bin/env node
// What a Sequelize (mysql2 driver) application does, run against a server or Sluice.
//
//     node sequelize_crud.js HOST PORT USER PASSWORD DB
//
// Defines two associated models, syncs them, then inserts, queries (with a join), updates and deletes,
// autocommit and inside managed transactions, checking every answer. Exits 0 when everything matched; prints
// what did not and exits 1 otherwise. The packages come from package-lock.json (tests/orm/install).
'use strict';

const { Sequelize, DataTypes, Op } = require('sequelize');

const failures = [];

function expect(what, got, want) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) {
    failures.push(`${what}: got ${g}, expected ${w}`);
    console.log(`MISMATCH ${what}: got ${g}, expected ${w}`);
  }
}

async function main([host, port, user, password, db]) {
  const sequelize = new Sequelize(db, user, password, {
    host,
    port: Number(port),
    dialect: 'mysql',
    logging: false,
    dialectOptions: { charset: 'utf8mb4' },
    pool: { max: 4, min: 0 },
  });
  const Author = sequelize.define('Author', {
    name: { type: DataTypes.STRING(100), allowNull: false, unique: true },
  }, { tableName: 'sq_author' });
  const Book = sequelize.define('Book', {
    title: { type: DataTypes.STRING(200), allowNull: false },
    pages: { type: DataTypes.INTEGER, allowNull: false },
  }, { tableName: 'sq_book' });
  Author.hasMany(Book, { as: 'books', foreignKey: { name: 'authorId', allowNull: false }, onDelete: 'CASCADE' });
  Book.belongsTo(Author, { as: 'author', foreignKey: 'authorId' });

  await sequelize.authenticate();
  await sequelize.sync({ force: true });

  // Insert inside a managed transaction: the books use the author's generated id.
  const adaId = await sequelize.transaction(async (t) => {
    const ada = await Author.create({ name: 'Ada' }, { transaction: t });
    await Book.bulkCreate([
      { title: 'Notes', pages: 40, authorId: ada.id },
      { title: 'Engines', pages: 300, authorId: ada.id },
    ], { transaction: t });
    return ada.id;
  });
  // Autocommit inserts, each read back at once (read-your-writes through a read/write split).
  const bob = await Author.create({ name: 'Bob 🦀' });
  await Book.create({ title: 'Crabs', pages: 120, authorId: bob.id });
  expect('autocommit insert read back', (await Author.findByPk(bob.id)).name, 'Bob 🦀');

  // A join through the association, an aggregate, eager loading.
  const big = await Book.findAll({
    where: { pages: { [Op.gte]: 100 } },
    include: [{ model: Author, as: 'author', attributes: ['name'] }],
    order: [['title', 'ASC']],
  });
  expect('join', big.map((b) => [b.author.name, b.title]), [['Bob 🦀', 'Crabs'], ['Ada', 'Engines']]);
  expect('sum of Ada\'s pages', Number(await Book.sum('pages', { where: { authorId: adaId } })), 340);
  const ada = await Author.findByPk(adaId, { include: [{ model: Book, as: 'books' }], order: [[{ model: Book, as: 'books' }, 'id', 'ASC']] });
  expect('association', ada.books.map((b) => b.title), ['Notes', 'Engines']);

  // Update inside a transaction, seen there and after the commit.
  await sequelize.transaction(async (t) => {
    await Book.update({ pages: 45 }, { where: { title: 'Notes' }, transaction: t });
    expect('update seen in its transaction', (await Book.findOne({ where: { title: 'Notes' }, transaction: t })).pages, 45);
  });
  expect('update after commit', (await Book.findOne({ where: { title: 'Notes' } })).pages, 45);

  // A transaction that throws is rolled back.
  try {
    await sequelize.transaction(async (t) => {
      await Book.create({ title: 'Draft', pages: 1, authorId: adaId }, { transaction: t });
      expect('row visible before rollback', await Book.count({ transaction: t }), 4);
      throw new Error('roll back');
    });
  } catch (e) {
    if (e.message !== 'roll back') throw e;
  }
  expect('rolled back', await Book.count(), 3);

  // Delete: the cascade takes Ada's books.
  await Author.destroy({ where: { id: adaId } });
  expect('authors after delete', (await Author.findAll({ order: [['id', 'ASC']] })).map((a) => a.name), ['Bob 🦀']);
  expect('books after delete', (await Book.findAll()).map((b) => b.title), ['Crabs']);

  // Raw query, autocommit.
  const [rows] = await sequelize.query('SELECT DATABASE() AS db');
  expect('database', rows[0].db, db);

  await Book.drop();
  await Author.drop();
  await sequelize.close();
}

const args = process.argv.slice(2);
if (args.length !== 5) {
  console.error('usage: node sequelize_crud.js HOST PORT USER PASSWORD DB');
  process.exit(2);
}
main(args)
  .catch((e) => {
    failures.push(`${e.name}: ${e.message}`);
    console.log(`ERROR ${e.name}: ${e.message}`);
  })
  .finally(() => {
    if (failures.length) {
      console.log(`sequelize_crud: ${failures.length} failure(s)`);
      process.exit(1);
    }
    console.log('sequelize_crud: all checks passed');
  });
