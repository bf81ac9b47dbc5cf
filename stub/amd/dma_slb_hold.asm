; The DMA scenarios' secure loader, variant hold (include/dma_slb.inc).
%define DMA_SLB_MODE 0
%include "dma_slb.inc"
