#!/usr/bin/python3
"""What a SQLAlchemy (ORM, PyMySQL driver) application does, run against a server or Sluice.

    /usr/bin/python3 sqlalchemy_crud.py HOST PORT USER PASSWORD DB

Defines two related models, creates them, then inserts, queries (with a join), updates and deletes inside
sessions and transactions, checking every answer. Exits 0 when everything matched; prints what did not and
exits 1 otherwise. Written against Debian 12's python3-sqlalchemy (1.4) in the 2.0 style it supports.
"""

import sys

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, func, select, text
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Author(Base):
    __tablename__ = "sa_author"
    id = Column(Integer, primary_key=True, autoincrement=True)
    name = Column(String(100), nullable=False, unique=True)
    books = relationship("Book", back_populates="author", cascade="all, delete-orphan", order_by="Book.id")


class Book(Base):
    __tablename__ = "sa_book"
    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(200), nullable=False)
    pages = Column(Integer, nullable=False)
    author_id = Column(Integer, ForeignKey("sa_author.id"), nullable=False)
    author = relationship("Author", back_populates="books")


failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, expected {want!r}")
        print(f"MISMATCH {what}: got {got!r}, expected {want!r}")


def main(host, port, user, password, db):
    url = f"mysql+pymysql://{user}:{password}@{host}:{port}/{db}?charset=utf8mb4"
    engine = create_engine(url, future=True, pool_pre_ping=True)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)

    # Insert in one transaction: the authors' generated ids are used by the books in the same flush.
    with Session(engine, future=True) as s, s.begin():
        ada = Author(name="Ada", books=[Book(title="Notes", pages=40), Book(title="Engines", pages=300)])
        bob = Author(name="Bob 🦀", books=[Book(title="Crabs", pages=120)])
        s.add_all([ada, bob])
        s.flush()
        expect("ids assigned in the transaction", ada.id is not None and bob.id is not None, True)
        ada_id = ada.id

    # Read back in a new session: a join, an aggregate, the relationship loaded lazily.
    with Session(engine, future=True) as s:
        rows = s.execute(
            select(Author.name, Book.title).join(Book.author).where(Book.pages >= 100).order_by(Book.title)
        ).all()
        expect("join", [tuple(r) for r in rows], [("Bob 🦀", "Crabs"), ("Ada", "Engines")])
        total = s.execute(select(func.sum(Book.pages)).join(Book.author).where(Author.name == "Ada")).scalar_one()
        expect("sum of Ada's pages", int(total), 340)
        ada = s.get(Author, ada_id)
        expect("relationship", [b.title for b in ada.books], ["Notes", "Engines"])
        expect("non-ASCII round trip", s.execute(select(Author.name).where(Author.name.like("Bob%"))).scalar_one(), "Bob 🦀")

    # Update inside a transaction, then read it back in the same and in a new session.
    with Session(engine, future=True) as s, s.begin():
        book = s.execute(select(Book).where(Book.title == "Notes")).scalar_one()
        book.pages = 45
        s.flush()
        expect("update seen in its transaction", s.execute(select(Book.pages).where(Book.title == "Notes")).scalar_one(), 45)
    with Session(engine, future=True) as s:
        expect("update after commit", s.execute(select(Book.pages).where(Book.title == "Notes")).scalar_one(), 45)

    # A rolled-back transaction leaves nothing behind.
    with Session(engine, future=True) as s:
        s.add(Book(title="Draft", pages=1, author_id=ada_id))
        s.flush()
        expect("row visible before rollback", s.execute(select(func.count()).select_from(Book)).scalar_one(), 4)
        s.rollback()
        expect("rolled back", s.execute(select(func.count()).select_from(Book)).scalar_one(), 3)

    # Delete with the cascade: the author and their books go in one transaction.
    with Session(engine, future=True) as s, s.begin():
        s.delete(s.get(Author, ada_id))
    with Session(engine, future=True) as s:
        expect("authors after delete", s.execute(select(Author.name)).scalars().all(), ["Bob 🦀"])
        expect("books after delete", s.execute(select(Book.title)).scalars().all(), ["Crabs"])

    # Core, autocommit: what the connection itself answers.
    with engine.connect() as c:
        expect("database", c.execute(text("SELECT DATABASE()")).scalar_one(), db)

    Base.metadata.drop_all(engine)
    engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    try:
        main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    except Exception as e:  # an error from the driver or the ORM is a failure like a mismatch
        failures.append(f"{type(e).__name__}: {e}")
        print(f"ERROR {type(e).__name__}: {e}")
    if failures:
        print(f"sqlalchemy_crud: {len(failures)} failure(s)")
        sys.exit(1)
    print("sqlalchemy_crud: all checks passed")
