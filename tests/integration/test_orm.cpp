// ORMs through Sluice: the scripts in tests/orm/ do what an application does with SQLAlchemy (PyMySQL) and
// with Sequelize (mysql2) — schema, inserts, a join, updates, deletes, transactions committed and rolled back
// — and check every answer. Sluice runs with its default routing, so once the read/write split is on these
// are also read-your-writes checks for real ORMs.

#include <doctest/doctest.h>
#include <unistd.h>

#include "tests/integration/cluster.hpp"

using namespace sluice::test;

namespace {

Sluice& orm_sluice() {
    static Sluice s(shared_cluster());
    return s;
}

// Runs a script from tests/orm against Sluice's client port as the app user, in a fresh database.
void run_orm_script(const std::vector<std::string>& interpreter, const std::string& script,
                    const std::string& db) {
    Conn c;
    connect_or_throw(c, {.port = orm_sluice().client_port(), .user = "app", .password = "app"});
    REQUIRE_OK(c.exec("DROP DATABASE IF EXISTS " + db));
    REQUIRE_OK(c.exec("CREATE DATABASE " + db));
    std::vector<std::string> argv = interpreter;
    for (const std::string& a :
         {source_dir() + "/tests/orm/" + script, std::string("127.0.0.1"),
          std::to_string(orm_sluice().client_port()), std::string("app"), std::string("app"), db})
        argv.push_back(a);
    RunResult r = run(argv, std::chrono::seconds(120));
    INFO(script << " printed:\n" << r.output);
    CHECK(r.exit_code == 0);
    MESSAGE(script << ": exit " << r.exit_code
                   << ", last line: " << r.output.substr(r.output.rfind('\n', r.output.size() - 2) + 1));
    REQUIRE_OK(c.exec("DROP DATABASE " + db));
}

}  // namespace

TEST_CASE("ORM: SQLAlchemy with PyMySQL through Sluice") {
    // Debian's python3-sqlalchemy and python3-pymysql live in the system interpreter, whatever `python3` is
    // first on the PATH.
    REQUIRE_MESSAGE(access("/usr/bin/python3", X_OK) == 0, "/usr/bin/python3 is missing (scripts/setup)");
    RunResult probe = run({"/usr/bin/python3", "-c", "import sqlalchemy, pymysql"});
    REQUIRE_MESSAGE(probe.exit_code == 0, "python3-sqlalchemy / python3-pymysql missing (scripts/setup):\n"
                                              << probe.output);
    run_orm_script({"/usr/bin/python3"}, "sqlalchemy_crud.py", "t_orm_sqlalchemy");
}

TEST_CASE("ORM: Sequelize with mysql2 through Sluice") {
    REQUIRE_MESSAGE(run({"sh", "-c", "command -v node"}).exit_code == 0, "node is missing (scripts/setup)");
    REQUIRE_MESSAGE(access((source_dir() + "/tests/orm/node_modules/sequelize").c_str(), R_OK) == 0,
                    "tests/orm/node_modules is missing: run tests/orm/install (scripts/test does)");
    run_orm_script({"node"}, "sequelize_crud.js", "t_orm_sequelize");
}
