import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Express, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { type AppConfig, createValidationPipe, ProblemFilter } from '@cloudloom/platform';
import { ApiModule } from '../api.module';
import { sameKey } from '../identity/api-key';
import { applySecurity } from './security';
import { serveConsoleAndQueueBoard } from './console';
import { buildOpenApiDocument, withoutAudiences } from './openapi';

export const API_PREFIX = 'api/v1';
export const DOCS_PATH = 'api/docs';

/** The HTTP application exactly as production runs it; tests build the same one. */
export async function createApiApp(config: AppConfig & { databaseUrl: string }): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  applySecurity(app, config);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.disable('x-powered-by');
  const document = buildOpenApiDocument(app);
  // The operator's key gets the whole document; everyone else (and the UI) one without audiences.
  const http: Express = app.getHttpAdapter().getInstance();
  http.get(`/${DOCS_PATH}/openapi.json`, (req: Request, res: Response, next: NextFunction) => {
    const key = /^Bearer\s+(\S{10,200})$/i.exec(req.headers.authorization ?? '')?.[1];
    if (key !== undefined && sameKey(key, config.operatorApiKey)) res.json(document);
    else next();
  });
  SwaggerModule.setup(DOCS_PATH, app, withoutAudiences(document), { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
  serveConsoleAndQueueBoard(app);
  return app;
}
