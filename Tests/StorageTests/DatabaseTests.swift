import Foundation
import Storage
import Testing

@Suite("SQLite database wrapper")
struct DatabaseTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "partner-storage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test("values of every type round-trip through a table")
    func roundTrip() throws {
        let database = try Database(path: directory + "/values.sqlite")
        try database.execute("CREATE TABLE t(a, b, c, d, e)")
        try database.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                             [.null, .integer(-7), .real(2.5), .text("héllo"), .blob([0, 255, 1])])
        let rows = try database.rows("SELECT a, b, c, d, e FROM t")
        #expect(rows == [[.null, .integer(-7), .real(2.5), .text("héllo"), .blob([0, 255, 1])]])
    }

    @Test("a transaction that throws leaves nothing behind")
    func rollback() throws {
        struct Abort: Error {}
        let database = try Database(path: directory + "/rollback.sqlite")
        try database.execute("CREATE TABLE t(x)")
        #expect(throws: Abort.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (1)", [])
                throw Abort()
            }
        }
        #expect(try database.scalar("SELECT count(*) FROM t") == .integer(0))
    }

    @Test("a file that is not a database gives a clear error, not a crash")
    func foreignFile() throws {
        let path = directory + "/notes.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        let database = try Database(path: path)
        do {
            _ = try database.rows("SELECT * FROM sqlite_master")
            Issue.record("reading a foreign file should fail")
        } catch {
            #expect(error.isCorruption)
            #expect(error.message.contains("not an SQLite database"))
        }
    }

    @Test("an SQL error names the statement")
    func errorNamesSQL() throws {
        let database = try Database(path: directory + "/sql.sqlite")
        do {
            try database.execute("SELEKT 1")
            Issue.record("bad SQL should fail")
        } catch {
            #expect(error.sql == "SELEKT 1")
            #expect(error.message.contains("syntax error"))
        }
    }

    @Test("FTS5 is available in the linked SQLite")
    func fts5() throws {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE VIRTUAL TABLE docs USING fts5(body)")
        try database.execute("INSERT INTO docs VALUES (?)", ["func parseExpression()"])
        #expect(try database.scalar("SELECT count(*) FROM docs WHERE docs MATCH 'parseExpression'") == .integer(1))
        #expect(Database.hasFTS5)
    }
}

@Suite("SQLite scalar queries")
struct ScalarTests {
    @Test("a query with no rows gives nil, a NULL value gives .null")
    func noRowsIsNil() throws {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE TABLE t(x)")
        #expect(try database.scalar("SELECT x FROM t") == nil)
        try database.execute("INSERT INTO t VALUES (NULL)")
        #expect(try database.scalar("SELECT x FROM t") == .some(.null))
    }
}
