import Foundation
import Models
import ScriptedModelServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The suite spawns many processes (sandbox workers, git, ripgrep) while model connections are
/// open; a connection one of them inherits stays open after its owner closes it, so a client
/// would wait for a hang-up that never comes.
@Suite("descriptors of model connections", .timeLimit(.minutes(5)))
struct DescriptorTests {
    @Test("both ends of a kept-alive model connection are close-on-exec", arguments: [ModelProvider.openai, .ollama])
    func connectionsCloseOnExec(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.turn(.text("hello"))])
        defer { server.stop() }
        let response = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("x")]))
        #expect(response.message.content == "hello")
        // The connection stays open in libcurl's cache and on the server's serving thread.
        let ends = Self.descriptors(connectedTo: server.port)
        #expect(ends.count >= 2, "expected the client's and the server's end of the connection, found \(ends.count)")
        for descriptor in ends {
            #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0, "descriptor \(descriptor) would leak into spawned processes")
        }
    }

    @Test("a server dropped without stop() stops by itself: its port refuses connections")
    func droppedServerStops() throws {
        var server: ScriptedModelServer? = try ScriptedModelServer()
        let port = try #require(server?.port)
        server = nil   // no connection holds it, so this runs deinit here
        #expect(Self.connect(port: port) == ECONNREFUSED)
    }

    /// The TCP sockets of this process whose local or remote port is `port`.
    static func descriptors(connectedTo port: Int) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { descriptor in
            [getsockname, getpeername].contains { call in
                var address = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let result = withUnsafeMutablePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(descriptor, $0, &length) }
                }
                return result == 0 && address.sin_family == sa_family_t(AF_INET) && Int(UInt16(bigEndian: address.sin_port)) == port
            }
        }
    }

    /// Connects to 127.0.0.1:`port` and hangs up: 0 when something accepted, else the errno.
    static func connect(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 ? 0 : errno
    }
}
