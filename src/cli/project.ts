/*
 * Which pipeline file and kernel a command works on, found the way sgconfig.yml and
 * .clang-tidy are: `--config` when given, else the nearest xenoport.pipeline.yaml
 * from the current directory up (src/project-dirs.ts). The bundled pipeline file is
 * used only for the bundled sample kernel: when nothing is found and no other kernel
 * or source is named, with a note saying so on stderr. A project's kernel directory
 * (config.sh + sys/) is the one above its pipeline file's `source`, unless --kernel
 * names another.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { BUNDLED_PIPELINE, findPipelineFile, PIPELINE_FILE } from '../project-dirs.js';
import { loadPipeline } from '../rewrite/index.js';
import { SAMPLE_KERNEL_DIR } from './paths.js';

export interface PipelineChoice {
  file: string;
  /** The bundled pipeline file (the sample kernel's). */
  bundled: boolean;
}

/**
 * The pipeline file: `given`, else the one found from the current directory up, else
 * the bundled one when `onSample` (the command runs on the bundled sample kernel).
 */
export function choosePipeline(given: string | undefined, onSample: boolean): PipelineChoice {
  if (given !== undefined) {
    const file = path.resolve(given);
    return { file, bundled: file === BUNDLED_PIPELINE };
  }
  const found = findPipelineFile();
  if (found !== undefined) return { file: found, bundled: found === BUNDLED_PIPELINE };
  if (!onSample)
    throw new UsageError(
      `no ${PIPELINE_FILE} in ${process.cwd()} or any directory above it: write one (docs/pipeline.md; the bundled ${BUNDLED_PIPELINE} is a start) or name one with --config`,
    );
  process.stderr.write(`xenoport: no ${PIPELINE_FILE} in ${process.cwd()} or above it: using the bundled sample kernel's (${BUNDLED_PIPELINE})\n`);
  return { file: BUNDLED_PIPELINE, bundled: true };
}

export interface KernelChoice {
  pipeline: PipelineChoice;
  /** The kernel directory (config.sh + sys/). */
  kernel: string;
  /** The source sys/ directory when it is not the pipeline file's (a --kernel of the user's). */
  source?: string;
}

/** The pipeline file and kernel of `boot` and `port` (see above). */
export function chooseKernel(kernelArg: string | undefined, configArg: string | undefined): KernelChoice {
  if (kernelArg !== undefined) {
    const kernel = path.resolve(kernelArg);
    const onSample = kernel === SAMPLE_KERNEL_DIR;
    const pipeline = choosePipeline(configArg, onSample);
    return { pipeline, kernel, source: onSample ? undefined : path.join(kernel, 'sys') };
  }
  const pipeline = choosePipeline(configArg, true);
  if (pipeline.bundled) return { pipeline, kernel: SAMPLE_KERNEL_DIR };
  const kernel = path.dirname(loadPipeline(pipeline.file).source);
  if (!existsSync(path.join(kernel, 'config.sh')))
    throw new UsageError(`the kernel directory of ${pipeline.file} would be ${kernel}, above its source, but it has no config.sh: name the kernel directory with --kernel`);
  return { pipeline, kernel };
}
