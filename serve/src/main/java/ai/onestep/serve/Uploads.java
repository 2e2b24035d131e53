package ai.onestep.serve;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.Pixels;
import ai.onestep.image.SkippedImageException;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;

/** Uploaded images: capped in bytes (413) and in pixels before decoding (413); anything that is not an image is 400. */
final class Uploads {
    private Uploads() {
    }

    static Pixels decode(UploadedFile file, String field, Limits limits) throws IOException {
        if (file.size() > limits.maxUploadBytes()) {
            throw new ApiException(413, field + " is " + file.size() + " bytes; uploads are capped at "
                    + limits.maxUploadBytes());
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readNBytes((int) limits.maxUploadBytes() + 1);
        }
        if (bytes.length > limits.maxUploadBytes()) {
            throw new ApiException(413, field + " exceeds the upload cap of " + limits.maxUploadBytes() + " bytes");
        }
        return decode(bytes, field, file.filename() == null ? field : file.filename(), limits);
    }

    static Pixels decode(byte[] bytes, String field, String filename, Limits limits) {
        try {
            return new ImageDecoder(limits.maxUploadPixels()).decode(bytes, Catalog.printable(filename)).pixels();
        } catch (SkippedImageException e) {
            if (e.reason() == ai.onestep.image.Outcome.TOO_LARGE) {
                throw new ApiException(413, field + ": " + e.getMessage() + " (uploads are capped at "
                        + limits.maxUploadPixels() + " pixels)");
            }
            throw ApiException.badRequest(field + " is not a readable image (" + e.getMessage() + ")");
        }
    }
}
