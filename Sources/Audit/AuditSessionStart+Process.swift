import Foundation
import PartnerCore

extension AuditSessionStart {
    /// A session start for this process: user, host and working directory filled in from the
    /// environment; the caller adds the workspace state, policy and model it knows.
    public static func forThisProcess(command: String, task: String,
                                      environment: [String: String] = ProcessInfo.processInfo.environment)
        -> AuditSessionStart
    {
        var user = environment["USER"] ?? environment["LOGNAME"] ?? ""
        if user.isEmpty, let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            user = String(cString: name)
        }
        var name = [UInt8](repeating: 0, count: 256)
        let host = name.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress,
                  gethostname(UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self), buffer.count) == 0
            else { return "localhost" }
            return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
        return AuditSessionStart(command: command, task: task, user: user.isEmpty ? "uid \(getuid())" : user,
                                 host: host, cwd: FileManager.default.currentDirectoryPath)
    }
}
