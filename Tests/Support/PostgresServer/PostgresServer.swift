import Foundation
import PartnerSystem

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` and `pg_ctl` from Debian's `postgresql`
/// package in a temporary directory, listening on a Unix socket only (no TCP), with password
/// (SCRAM) authentication. PostgreSQL refuses to run as root, so when the tests run as root
/// the server runs as the unprivileged user `partner-ci` (created when missing, as
/// `scripts/test` does).
///
/// Lifecycle: `start()` → `url(…)`, `superuserSQL(…)`, `stop(mode:)` / `restart()` → `remove()`
/// (stops the server and deletes the directory; also done by `withServer`).
public final class PostgresServer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Where Debian's PostgreSQL 15 programs live.
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public static let unprivilegedUser = "partner-ci"
    public static let superuser = "postgres"
    public static let database = "partner"

    public let directory: String
    public let superuserPassword: String
    private let runAs: String?
    private var dataDirectory: String { directory + "/data" }

    /// Starts a server with a database `partner`, runs `body`, and always removes it after.
    public static func withServer<Result>(_ body: (PostgresServer) throws -> Result) throws -> Result {
        let server = try start()
        defer { server.remove() }
        return try body(server)
    }

    /// Creates the cluster and starts it.
    public static func start() throws -> PostgresServer {
        guard FileManager.default.isExecutableFile(atPath: binaries + "/initdb") else {
            throw Failure(description: "\(binaries)/initdb is missing — run scripts/setup (it installs Debian's postgresql)")
        }
        let runAs = geteuid() == 0 ? unprivilegedUser : nil
        if let runAs { try ensureUser(runAs) }
        // Under TMPDIR (scripts/test gives each run its own, sticky like /tmp so `partner-ci` can
        // enter it); the socket's path stays far below the 107 bytes a Unix socket allows.
        var template = Array((NSTemporaryDirectory() + "partner-pg.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        let server = PostgresServer(directory: directory, password: UUID().uuidString, runAs: runAs)
        do {
            try server.create()
            try server.startServer()
            try server.superuserSQL("CREATE DATABASE \(database)", database: "postgres")
        } catch {
            server.remove()
            throw error
        }
        return server
    }

    private init(directory: String, password: String, runAs: String?) {
        self.directory = directory
        self.superuserPassword = password
        self.runAs = runAs
    }

    /// A `postgres://` URL for `role` with `password` over the server's socket.
    public func url(role: String, password: String, database: String = PostgresServer.database) -> String {
        "postgres://\(role):\(password)@/\(database)?host=\(directory)"
    }

    /// The superuser's URL.
    public var superuserURL: String { url(role: Self.superuser, password: superuserPassword) }

    /// Runs SQL as the superuser with `psql` (stops at the first error) and returns what it printed
    /// (unaligned, tuples only).
    @discardableResult
    public func superuserSQL(_ sql: String, database: String = PostgresServer.database) throws -> String {
        try run(["/usr/bin/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                 url(role: Self.superuser, password: superuserPassword, database: database), "-c", sql],
                asServerUser: false)
    }

    /// Creates a login role (a machine's or a reviewer's) that is a member of `memberOf`.
    public func createRole(_ name: String, password: String, memberOf: String) throws {
        try superuserSQL("CREATE ROLE \"\(name)\" LOGIN PASSWORD '\(password)' IN ROLE \(memberOf)")
    }

    /// Stops the server: `fast` (clean) or `immediate` (like a crash: no shutdown checkpoint).
    public func stop(mode: String = "fast") throws {
        try run([Self.binaries + "/pg_ctl", "-D", dataDirectory, "-w", "-m", mode, "stop"], asServerUser: true)
    }

    /// Starts the stopped server again (after `stop(mode: "immediate")` it runs crash recovery).
    public func restart() throws {
        try startServer()
    }

    /// Stops the server if it runs and deletes its directory.
    public func remove() {
        _ = try? run([Self.binaries + "/pg_ctl", "-D", dataDirectory, "-w", "-m", "immediate", "stop"], asServerUser: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func create() throws {
        if let runAs { try run(["/bin/chown", runAs, directory], asServerUser: false) }
        let passwordFile = directory + "/superuser-password"
        try (superuserPassword + "\n").write(toFile: passwordFile, atomically: false, encoding: .utf8)
        if let runAs { try run(["/bin/chown", runAs, passwordFile], asServerUser: false) }
        try run([Self.binaries + "/initdb", "-D", dataDirectory, "-U", Self.superuser, "--auth-local=scram-sha-256",
                 "--auth-host=reject", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale", "--no-sync"],
                asServerUser: true)
        // Unix socket only, in the test's own directory; no TCP listener at all.
        let settings = """

            listen_addresses = ''
            unix_socket_directories = '\(directory)'
            max_connections = 120
            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
    }

    private func startServer() throws {
        try run([Self.binaries + "/pg_ctl", "-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60",
                 "start"], asServerUser: true)
    }

    /// The server's log, for failure messages.
    public var log: String { (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "" }

    private static func ensureUser(_ name: String) throws {
        if getpwnam(name) != nil { return }
        _ = try? HelperProcess.run(HelperLaunch(executable: "useradd",
                                                arguments: ["--create-home", "--shell", "/bin/bash", name],
                                                directory: "/tmp"))
        // Another test may have created it at the same moment.
        guard getpwnam(name) != nil else {
            throw Failure(description: "cannot create the unprivileged user \(name) that runs PostgreSQL (root may not)")
        }
    }

    /// Runs a program to its end and returns what it printed, through `HelperProcess` (every
    /// descriptor above 2 closed in the child). Output goes to a file, never a pipe: the server
    /// `pg_ctl start` leaves running must hold no pipe a reader would wait on.
    @discardableResult
    private func run(_ arguments: [String], asServerUser: Bool) throws -> String {
        var argv = arguments
        if asServerUser, let runAs { argv = ["/usr/sbin/runuser", "-u", runAs, "--"] + argv }
        let outputPath = directory + "/.command-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let result = try HelperProcess.run(HelperLaunch(
            executable: argv[0], arguments: Array(argv.dropFirst()), directory: "/tmp",
            standardOutput: .file(outputPath), standardError: .file(outputPath)), timeout: 120)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard result.exitCode == 0 else {
            throw Failure(description: "\(arguments.prefix(2).joined(separator: " ")) failed (\(result.exitCode)): "
                + text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return text
    }
}
