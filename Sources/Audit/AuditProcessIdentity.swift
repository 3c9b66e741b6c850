import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which process wrote a session, precisely enough to tell later that it is gone: the boot,
/// the pid namespace and the process's start time (clock ticks after boot), beside the pid
/// and host the session row already keeps. A pid alone is reused; a start time is not, within
/// one boot and one pid namespace.
///
/// Stored as text in `sessions.process`: `boot=<boot id> pidns=<inode> start=<ticks>`.
public struct AuditProcessIdentity: Sendable, Equatable {
    public var boot: String
    public var pidNamespace: String
    public var startTicks: UInt64

    public init(boot: String, pidNamespace: String, startTicks: UInt64) {
        self.boot = boot
        self.pidNamespace = pidNamespace
        self.startTicks = startTicks
    }

    public var text: String { "boot=\(boot) pidns=\(pidNamespace) start=\(startTicks)" }

    /// Parses `text`; nil when it is not one (sessions recorded before identities were kept).
    public init?(text: String) {
        var fields: [String: String] = [:]
        for part in text.split(separator: " ") {
            guard let equals = part.firstIndex(of: "=") else { return nil }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard let boot = fields["boot"], !boot.isEmpty, let namespace = fields["pidns"], !namespace.isEmpty,
              let start = fields["start"].flatMap({ UInt64($0) }) else { return nil }
        self.init(boot: boot, pidNamespace: namespace, startTicks: start)
    }

    /// What `/proc/PID/stat` says: the state letter and the start time in ticks. Pure: the
    /// command name (field 2) may hold spaces and parentheses, so fields count from the last ")".
    public static func parseStat(_ stat: String) -> (state: Character, startTicks: UInt64)? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name: state (3), ppid (4), ... starttime is field 22, the 20th after ")".
        guard fields.count >= 20, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        return (state, start)
    }

    /// The identity of this process; nil where /proc does not tell.
    public static func current() -> AuditProcessIdentity? {
        guard let boot = bootID(), let namespace = pidNamespace(of: "self"),
              let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let parsed = parseStat(stat) else { return nil }
        return AuditProcessIdentity(boot: boot, pidNamespace: namespace, startTicks: parsed.startTicks)
    }

    /// How a session's process stands, seen from this process.
    public enum Liveness: Sendable, Equatable {
        /// It may still write the session (or this process cannot tell that it cannot).
        case alive
        /// It is gone: it will never end the session itself.
        case gone
        /// It ran where this process cannot look (another host, another pid namespace).
        case unknown
    }

    /// Whether the process `pid` on `host` that recorded `identity` (nil for sessions recorded
    /// before identities were kept) is still there. Errs towards `alive` and `unknown`: closing
    /// a live session would make its owner's next event collide with the closing event.
    public static func liveness(pid: Int, host: String, identity: AuditProcessIdentity?,
                                thisHost: String) -> Liveness {
        guard host == thisHost, pid > 0, pid <= Int(Int32.max) else { return .unknown }
        if let identity {
            guard let boot = bootID() else { return .unknown }
            if boot != identity.boot { return .gone } // the machine restarted since
            guard pidNamespace(of: "self") == identity.pidNamespace else { return .unknown }
        }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            // No such process, unless /proc is not what it seems: ask the kernel directly.
            return kill(pid_t(pid), 0) == 0 || errno == EPERM ? .alive : .gone
        }
        guard let parsed = parseStat(stat) else { return .alive }
        if parsed.state == "Z" || parsed.state == "X" { return .gone } // dead, not yet reaped
        if let identity, parsed.startTicks != identity.startTicks { return .gone } // the pid was reused
        return .alive
    }

    static func bootID() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func pidNamespace(of process: String) -> String? {
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process)/ns/pid"),
              let open = link.firstIndex(of: "["), let close = link.lastIndex(of: "]"), open < close else { return nil }
        return String(link[link.index(after: open)..<close])
    }

    /// This machine's host name, as session rows record it.
    public static let thisHost: String = {
        var name = [UInt8](repeating: 0, count: 256)
        return name.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress,
                  gethostname(UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self), buffer.count) == 0
            else { return "localhost" }
            return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }()
}
