import { ensureFfmpeg, run } from "../ffmpeg.server";
import { AUDIO_ENCODE_ARGS, AUDIO_RATE } from "../hls-ladder.server";

/** A describer speaks in the film's pauses: here for three seconds of every eight, from the first second. */
const PASSAGE_EVERY_SECONDS = 8;
const PASSAGE_FROM_SECONDS = 1;
const PASSAGE_SECONDS = 3;

const inPassage = `between(mod(t,${PASSAGE_EVERY_SECONDS}),${PASSAGE_FROM_SECONDS},${PASSAGE_FROM_SECONDS + PASSAGE_SECONDS})`;

/**
 * A stand-in described soundtrack for a demo film: the film's own sound, turned down wherever
 * the "describer" speaks, mixed with a voice-like signal there (a low tone with overtones that
 * rises and falls at the pace of syllables), so anyone can hear which soundtrack is playing
 * without a speech synthesiser.
 */
export async function makeSyntheticDescription({
  film,
  durationSeconds,
  outFile,
}: {
  film: string;
  durationSeconds: number;
  outFile: string;
}) {
  const { ffmpeg } = await ensureFfmpeg();
  const seconds = durationSeconds.toFixed(3);
  const voice = `0.3*(sin(2*PI*170*t)+0.5*sin(2*PI*340*t)+0.25*sin(2*PI*510*t))*(0.55+0.45*sin(2*PI*5*t))*${inPassage}`;
  const graph = [
    `[0:a:0]volume='if(${inPassage},0.2,1)':eval=frame[ducked]`,
    `aevalsrc=exprs='${voice}|${voice}':s=${AUDIO_RATE}:d=${seconds}[voice]`,
    "[ducked][voice]amix=inputs=2:duration=first:normalize=0[described]",
  ].join(";");
  await run(ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-v",
    "error",
    "-i",
    film,
    "-filter_complex",
    graph,
    "-map",
    "[described]",
    ...AUDIO_ENCODE_ARGS,
    "-t",
    seconds,
    "-f",
    "mp4",
    outFile,
  ]);
}
