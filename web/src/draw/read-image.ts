import { errorMessage } from '../log';

export type ReadImage = { ok: true; bitmap: ImageBitmap } | { ok: false; message: string };

/** A picked, dropped or pasted file as a bitmap, or what to tell the user; never throws. */
export async function readImage(file: File): Promise<ReadImage> {
  if (!file.type.startsWith('image/')) {
    return { ok: false, message: `“${file.name}” is not an image; choose a PNG, JPEG or similar.` };
  }
  try {
    return { ok: true, bitmap: await createImageBitmap(file) };
  } catch (error) {
    return { ok: false, message: `Could not read “${file.name}”: ${errorMessage(error)}` };
  }
}
