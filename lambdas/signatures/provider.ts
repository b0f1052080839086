/**
 * How a signed document comes to exist: the port behind step 3's signature. Today's provider is the
 * competent authority's own tool with a DSC (`uploadedDsc`: the person downloads, signs and uploads; the
 * system only verifies). An Aadhaar eSign adapter (an eSign Service Provider under the CCA's eSign API)
 * implements the same port: the system asks the ESP to sign the document's hash, the person authenticates
 * with the ESP (OTP), and the ESP's response completes the PDF. Either way the result goes through the
 * same verification (./verify) before step 3 is approved. Design: docs/signatures.md.
 */
export interface SignatureRequest {
  readonly onboardingId: string;
  readonly templatesVersion: number;
  /** The issued PDF, and its SHA-256 (hex). */
  readonly issued: Uint8Array;
  readonly issuedSha256: string;
  readonly signer: { readonly name: string; readonly email: string };
  /** Where the provider sends the person back (the approval page); only redirecting providers need it. */
  readonly returnUrl?: string;
}

export type SignatureStart =
  /** The person signs elsewhere and uploads the result (DSC in a desktop tool). */
  | { readonly kind: 'upload' }
  /** The person is sent to the provider (eSign: the ESP's authentication page), with a reference kept. */
  | {
      readonly kind: 'redirect';
      readonly url: string;
      readonly transactionId: string;
      readonly form?: Record<string, string>;
    };

export interface SignatureProvider {
  readonly id: 'uploadedDsc' | 'aadhaarEsign';
  /** Begins a signature for the issued document. */
  start(request: SignatureRequest): Promise<SignatureStart>;
  /**
   * Completes it: for an upload, the uploaded bytes; for eSign, the ESP's response (signed PKCS#7 over the
   * document hash, which the adapter embeds into the prepared signature field). Returns the signed PDF.
   */
  complete(request: SignatureRequest, response: Uint8Array): Promise<Uint8Array>;
}

/** The provider of today: the signed PDF is what the person uploaded. */
export const uploadedDscProvider: SignatureProvider = {
  id: 'uploadedDsc',
  start: async () => ({ kind: 'upload' }),
  complete: async (_request, uploaded) => uploaded,
};
