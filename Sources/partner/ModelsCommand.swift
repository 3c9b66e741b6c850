import ArgumentParser
import Foundation
import Logging
import Models

/// `partner models`: lists what the configured model server offers.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the configured server offers.",
        discussion: """
            The server comes from --model/--base-url, then PARTNER_MODEL/PARTNER_BASE_URL (and OLLAMA_HOST), \
            then [model] in ~/.config/partner/config.toml; without any, Ollama at http://127.0.0.1:11434. \
            Exits 1 when the server cannot be reached.
            """
    )

    @OptionGroup var options: ModelOptions

    @Flag(help: "Print the list as JSON.")
    var json = false

    struct Report: Encodable {
        let provider: String
        let baseURL: String
        let models: [ModelInfo]
    }

    func run() async throws {
        do {
            let configuration = try options.configuration(requireModel: false)
            var logger = Logger(label: "partner.models")
            logger.logLevel = .error
            let models = try await ModelClients.make(configuration, logger: logger).listModels()
            if json {
                try Terminal.printJSON(Report(provider: configuration.provider.rawValue, baseURL: configuration.baseURL, models: models))
                return
            }
            print(Terminal.dim("\(configuration.provider.rawValue) at \(configuration.baseURL): \(models.count) model(s)"))
            for model in models {
                var details: [String] = []
                if let size = model.parameterSize { details.append(size) }
                if let quantization = model.quantization { details.append(quantization) }
                if let bytes = model.sizeBytes { details.append(String(format: "%.1f GB", Double(bytes) / 1e9)) }
                if let owner = model.ownedBy { details.append(owner) }
                print(details.isEmpty ? model.name : "\(model.name)  \(Terminal.dim(details.joined(separator: ", ")))")
            }
            if let name = configuration.model.isEmpty ? nil : configuration.model, !models.contains(where: { $0.name == name }) {
                Terminal.printError(Terminal.yellow("! the configured model \(name) is not in this list")
                                    + (configuration.provider == .ollama ? " — run `ollama pull \(name)`" : ""))
            }
        } catch let error as ModelsError {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(1)
        }
    }
}
