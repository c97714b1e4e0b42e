import QRCode from 'qrcode';

/**
 * A QR code for a link, as SVG made on the server (no network, no script): medium error correction,
 * so a poster still scans when a little of it is creased or marked, with the quiet zone the
 * standard asks for.
 */
export async function qrCodeSvg(link: string): Promise<string> {
  return QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** The SVG as an image address, for an `<img>` with alternative text (the CSP allows data: images). */
export async function qrCodeImage(link: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrCodeSvg(link)).toString('base64')}`;
}
