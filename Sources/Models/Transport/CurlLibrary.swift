import CCurl
import PartnerCore

/// libcurl's process-wide state. `curl_global_init` is not thread-safe, so it runs exactly
/// once, lazily, before the first handle is created.
public enum CurlLibrary {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    public static func ensureInitialised() {
        _ = initialised
    }

    /// The libcurl version this process runs with, e.g. "7.88.1".
    public static var version: String {
        ensureInitialised()
        guard let info = curl_version_info(partner_curl_version_now()), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }
}

extension CurlLibrary {
    /// `partner doctor`'s line for libcurl: linked, so present; the version says which.
    public static var healthCheck: HealthCheck {
        HealthCheck(id: "libcurl", title: "libcurl", status: .pass, detail: version, required: true)
    }
}
