package io.fjord.broker.handler;

import io.fjord.broker.network.ApiRegistry;
import io.fjord.broker.network.RequestContext;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * ApiVersions (key 18): lists every API this broker serves with the versions it advertises.
 * A newer version than Fjord knows is answered by the request handler in v0 format (KIP-511,
 * {@link #unsupportedVersionResponse}). v3+ client software name and version are checked with
 * Kafka's pattern and rejected with INVALID_REQUEST like Kafka, so a client that works against
 * Fjord also works against Kafka. No finalized features are advertised: in particular not
 * {@code transaction.version} (KIP-890 part 2 is not implemented).
 */
public final class ApiVersionsHandler implements ApiHandler {

    private static final Pattern SOFTWARE = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    private final ApiRegistry registry;

    public ApiVersionsHandler(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.API_VERSIONS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ApiVersionsRequestData request = (ApiVersionsRequestData) message;
        ApiVersionsResponseData response = new ApiVersionsResponseData().setApiKeys(apiKeys());
        if (context.apiVersion() >= 3 && !(SOFTWARE.matcher(request.clientSoftwareName()).matches()
                && SOFTWARE.matcher(request.clientSoftwareVersion()).matches())) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        return CompletableFuture.completedFuture(response);
    }

    /** The v0-format answer to an ApiVersions version newer than Fjord knows (KIP-511). */
    public ApiVersionsResponseData unsupportedVersionResponse() {
        List<ApiVersionsResponseData.ApiVersion> own = new ArrayList<>();
        own.add(new ApiVersionsResponseData.ApiVersion().setApiKey(apiType().apiKey())
                .setMinVersion(minAdvertisedVersion()).setMaxVersion(maxVersion()));
        return new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setApiKeys(own);
    }

    private List<ApiVersionsResponseData.ApiVersion> apiKeys() {
        List<ApiVersionsResponseData.ApiVersion> keys = new ArrayList<>();
        for (ApiHandler handler : registry.handlers()) {
            keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey(handler.apiType().apiKey())
                    .setMinVersion(handler.minAdvertisedVersion()).setMaxVersion(handler.maxVersion()));
        }
        return keys;
    }
}
