import { Zip, ZipDeflate } from 'fflate'
import { describeSample, type SampleReport } from '../disclosure/index.js'

/**
 * A sample as a zip: its rows (as CSV, streamed through as they are written) beside
 * `sample-report.json` and a `README.txt` saying how it was de-identified, so that the file an
 * officer keeps explains itself wherever it goes.
 */
export function sampleBundle(
  data: ReadableStream<Uint8Array>,
  names: { data: string; dataset: string },
  report: SampleReport | undefined,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let zip: Zip
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error)
        controller.enqueue(chunk)
        if (final) controller.close()
      })
      addWhole(zip, 'README.txt', encoder.encode(readme(names.dataset, report)))
      addWhole(
        zip,
        'sample-report.json',
        encoder.encode(`${JSON.stringify(report ?? null, null, 2)}\n`),
      )
      const entry = new ZipDeflate(names.data, { level: 6 })
      zip.add(entry)
      const reader = data.getReader()
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          entry.push(value)
        }
        entry.push(new Uint8Array(0), true)
        zip.end()
      } catch (error) {
        controller.error(error)
      }
    },
    cancel(reason) {
      void data.cancel(reason)
    },
  })
}

function addWhole(zip: Zip, name: string, bytes: Uint8Array) {
  const entry = new ZipDeflate(name, { level: 6 })
  zip.add(entry)
  entry.push(bytes, true)
}

function readme(dataset: string, report: SampleReport | undefined): string {
  const lines = [
    `De-identified sample of ${dataset}`,
    '',
    ...(report
      ? [
          ...describeSample(report),
          '',
          `Method: ${report.method}`,
          '',
          'A value of * is hidden: the sample could not show it and keep every combination of',
          'non-measure columns shared by at least k rows. sample-report.json has the details.',
        ]
      : ['This sample was made before samples carried a report.']),
  ]
  return `${lines.join('\n')}\n`
}
