@testable import AuditStore
import Testing

/// The store's pure parts, without a server.
@Suite("audit store: array parameters, URL redaction, repository of a session")
struct AuditStorePureTests {
    @Test("text[] parameters quote every element and escape quotes and backslashes", arguments: [
        ([], "{}"),
        (["a"], #"{"a"}"#),
        (["", "NULL", "x,y"], #"{"","NULL","x,y"}"#),
        ([#"{"k":"v\n"}"#], #"{"{\"k\":\"v\\n\"}"}"#),
        (["é ✓"], #"{"é ✓"}"#),
    ])
    func arrays(_ values: [String], _ expected: String) {
        #expect(PostgresArray.text(values) == expected)
    }

    @Test("a password never shows in a URL's description", arguments: [
        ("postgres://ana:s3cret@db/partner", "postgres://ana:***@db/partner"),
        ("postgres://ana@db/partner", "postgres://ana@db/partner"),
        ("postgres:///partner?host=/run/pg&password=s3cret&sslmode=require",
         "postgres:///partner?host=/run/pg&password=***&sslmode=require"),
        ("postgresql://a:b@h:5433/d?password=c", "postgresql://a:***@h:5433/d?password=***"),
    ])
    func redaction(_ url: String, _ shown: String) throws {
        #expect(try AuditStoreURL(url).description == shown)
    }

    @Test("a session's repository is its origin remote, else another remote, else its root", arguments: [
        (#"{"workspace":{"remotes":{"origin":"git@h:t/r.git","up":"u"},"repositoryRoot":"/w"}}"#, "git@h:t/r.git"),
        (#"{"workspace":{"remotes":{"zeta":"z","alpha":"a"},"repositoryRoot":"/w"}}"#, "a"),
        (#"{"workspace":{"repositoryRoot":"/w"}}"#, "/w"),
        (#"{"command":"run"}"#, nil),
    ] as [(String, String?)])
    func repository(_ payload: String, _ expected: String?) {
        #expect(AuditStore.repository(ofStart: payload) == expected)
    }
}
